package io.foliosync.connectors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementFolderTest {
    @TempDir
    Path dir;

    private static BankTransaction line(String id, String day) {
        return new BankTransaction(id, "acc", LocalDate.parse(day), BigDecimal.ONE, "USD", id, Optional.empty(),
                Optional.empty(), TransactionType.DEPOSIT, Optional.empty());
    }

    private static BankStatement statement(Path file, String balanceAsOf, BankTransaction... lines) {
        return new BankStatement(file, "acc", AccountType.CHECKING, "USD", List.of(lines),
                Optional.of(new Balance("acc", new BigDecimal(balanceAsOf.substring(8, 10)), Optional.empty(), "USD",
                        Instant.parse(balanceAsOf + "T00:00:00Z"))));
    }

    @Test
    void overlappingDownloadsMergeBySourceIdOldestFirstAndParseOnce() throws Exception {
        Path january = Files.writeString(dir.resolve("a.csv"), "");
        Path february = Files.writeString(dir.resolve("b.CSV"), "");
        Files.writeString(dir.resolve("notes.txt"), "");
        List<Path> parsed = new ArrayList<>();
        StatementFolder folder = StatementFolder.of("bank", dir, Set.of(".csv"), f -> {
            parsed.add(f);
            return f.equals(january)
                    ? List.of(statement(f, "2024-01-31", line("2", "2024-01-20"), line("1", "2024-01-10")))
                    : List.of(statement(f, "2024-02-29", line("3", "2024-02-05"), line("2", "2024-01-20")));
        });

        assertThat(folder.files()).containsExactly(january, february);
        assertThat(folder.transactions("acc", Optional.empty())).extracting(BankTransaction::sourceId)
                .containsExactly("1", "2", "3");
        assertThat(folder.transactions("acc", Optional.of(LocalDate.parse("2024-01-20"))))
                .extracting(BankTransaction::sourceId).containsExactly("2", "3");
        assertThat(folder.balance("acc")).map(Balance::amount).contains(new BigDecimal("29"));
        assertThat(folder.transactions("other", Optional.empty())).isEmpty();
        assertThat(parsed).hasSize(2);
        assertThat(folder.health(Instant.EPOCH).message()).isEqualTo("2 statement files in " + dir);
    }

    @Test
    void aSingleFileIsReadWhateverItsName() throws Exception {
        Path file = Files.writeString(dir.resolve("export.dat"), "");
        assertThat(StatementFolder.of("bank", file, Set.of(".csv"), f -> List.of()).files()).containsExactly(file);
        assertThat(StatementFolder.of("bank", dir.resolve("gone"), Set.of(".csv"), f -> List.of())
                .health(Instant.EPOCH).healthy()).isFalse();
    }

    @Test
    void aFileThePluginCannotReadIsSkippedWithAWarningAndTheOthersAreImported() throws Exception {
        Path good = Files.writeString(dir.resolve("a.ofx"), "");
        Path investment = Files.writeString(dir.resolve("b.qfx"), "");
        Path pdf = Files.writeString(dir.resolve("statement.pdf"), "");
        Files.writeString(dir.resolve(".DS_Store"), "");
        StatementFolder folder = StatementFolder.withWarnings("bank", dir, Set.of(".ofx", ".qfx"), (f, w) -> {
            if (f.equals(investment)) {
                w.accept(DataWarning.of("bank", f.toString(), "never shown: the file failed"));
                throw DataFetchException.malformed("bank", f.toString(), "line 12", "INVSTMTRS",
                        "investment statements are not supported", null);
            }
            w.accept(DataWarning.field("bank", f.toString(), 3, "DTUSER", "dropped"));
            return List.of(statement(f, "2024-01-31", line("1", "2024-01-10")));
        });

        assertThat(folder.transactions("acc", Optional.empty())).extracting(BankTransaction::sourceId)
                .containsExactly("1");
        assertThat(folder.takeWarnings()).containsExactly(
                new DataWarning("bank", investment.toString(), java.util.OptionalInt.of(12), Optional.of("INVSTMTRS"),
                        "skipped, nothing imported from this file: investment statements are not supported"),
                DataWarning.of("bank", pdf.toString(), "skipped: not a statement file this plugin reads (.ofx, .qfx)"),
                DataWarning.field("bank", good.toString(), 3, "DTUSER", "dropped"));
        assertThat(folder.takeWarnings()).as("taken once").isEmpty();
        assertThat(folder.transactions("acc", Optional.empty())).hasSize(1);
        assertThat(folder.takeWarnings()).as("parsed once, warned once").isEmpty();
    }

    @Test
    void whenNoFileCanBeReadTheFirstFailureIsThrown() throws Exception {
        Files.writeString(dir.resolve("a.ofx"), "");
        Files.writeString(dir.resolve("b.ofx"), "");
        StatementFolder folder = StatementFolder.withWarnings("bank", dir, Set.of(".ofx"), (f, w) -> {
            throw new DataFetchException("bank", f.toString(), "broken " + f.getFileName(), null);
        });

        assertThatThrownBy(() -> folder.statementsByAccount()).isInstanceOf(DataFetchException.class)
                .hasMessageContaining("broken a.ofx");
        assertThat(folder.takeWarnings()).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("broken b.ofx"));
    }

    @Test
    void aFolderOfAPluginThatPassesNoWarningsOnStillFailsOnTheFirstBadFileSoNothingIsLeftOutUnsaid()
            throws Exception {
        Files.writeString(dir.resolve("a.csv"), "");
        Files.writeString(dir.resolve("b.csv"), "");
        StatementFolder folder = StatementFolder.of("bank", dir, Set.of(".csv"), f -> {
            if (f.getFileName().toString().equals("b.csv")) {
                throw new DataFetchException("bank", f.toString(), "broken", null);
            }
            return List.of(statement(f, "2024-01-31", line("1", "2024-01-10")));
        });

        assertThatThrownBy(folder::statementsByAccount).hasMessageContaining("b.csv: broken");
        assertThat(folder.takeWarnings()).isEmpty();
    }
}
