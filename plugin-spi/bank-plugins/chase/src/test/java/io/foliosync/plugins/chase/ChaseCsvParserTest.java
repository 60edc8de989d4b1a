package io.foliosync.plugins.chase;

import io.foliosync.connectors.api.BankStatement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.TransactionType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaseCsvParserTest {
    @TempDir
    Path tmp;

    @Test
    void readsCheckingExportWithRunningBalances() {
        BankStatement s = ChasePlugin.parseFile(Resources.path("chase-csv/Chase1234_Activity_20230131.CSV")).get(0);

        assertThat(s.accountId()).isEqualTo("chase-1234");
        assertThat(s.type()).isEqualTo(AccountType.CHECKING);
        assertThat(s.transactions()).hasSize(7);
        BankTransaction newest = s.transactions().get(0);
        assertThat(newest.postedDate()).isEqualTo(LocalDate.of(2023, 1, 31));
        assertThat(newest.amount()).isEqualByComparingTo("-5.75");
        assertThat(newest.balanceAfter()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("2894.25"));
        assertThat(newest.rawType()).hasValue("DEBIT_CARD");
        assertThat(s.transactions().get(2).description()).isEqualTo("CHECK 1042 (check 1042)");
        assertThat(s.transactions()).extracting(BankTransaction::type).containsExactly(
                TransactionType.WITHDRAWAL, TransactionType.WITHDRAWAL, TransactionType.WITHDRAWAL,
                TransactionType.TRANSFER_OUT, TransactionType.FEE, TransactionType.DEPOSIT, TransactionType.TRANSFER_OUT);
        assertThat(s.transactions().get(6).description()).isEqualTo("Zelle payment to Jane \"the\" landlord");
        assertThat(s.transactions().get(6).amount()).isEqualByComparingTo("-1200.00");
        assertThat(s.transactions()).extracting(BankTransaction::sourceId).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("h:[0-9a-f]{32}"));
        assertThat(s.balance()).hasValueSatisfying(b -> {
            assertThat(b.amount()).isEqualByComparingTo("2894.25");
            assertThat(b.asOf()).isEqualTo(Instant.parse("2023-01-31T00:00:00Z"));
        });
    }

    @Test
    void twoIdenticalCardPurchasesOnOneDayStayTwoRowsWithStableIds() {
        Path file = Resources.path("chase-csv/Chase5678_Activity20230131.CSV");
        BankStatement s = ChasePlugin.parseFile(file).get(0);

        assertThat(s.accountId()).isEqualTo("chase-5678");
        assertThat(s.type()).isEqualTo(AccountType.CREDIT_CARD);
        assertThat(s.transactions()).hasSize(5);
        BankTransaction a = s.transactions().get(1);
        BankTransaction b = s.transactions().get(2);
        assertThat(a.postedDate()).isEqualTo(b.postedDate()).isEqualTo(LocalDate.of(2023, 1, 21));
        assertThat(a.amount()).isEqualByComparingTo(b.amount());
        assertThat(a.description()).isEqualTo(b.description()).isEqualTo("UBER   *TRIP");
        assertThat(a.sourceId()).isNotEqualTo(b.sourceId());
        assertThat(ChasePlugin.parseFile(file).get(0).transactions()).extracting(BankTransaction::sourceId)
                .containsExactlyElementsOf(s.transactions().stream().map(BankTransaction::sourceId).toList());
        assertThat(s.transactions().get(3).type()).isEqualTo(TransactionType.TRANSFER_IN);
        assertThat(s.transactions().get(4).description()).isEqualTo("TRADER JOE S #123 / returned, damaged");
        assertThat(s.transactions().get(4).type()).isEqualTo(TransactionType.DEPOSIT);
        assertThat(s.balance()).isEmpty();
    }

    @Test
    void sourceIdFollowsTheDocumentedRecipe() throws Exception {
        // h: + first 32 hex of sha256("2023-01-21|-18.2|UBER   *TRIP||1") for the second identical line
        String expected = "h:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("2023-01-21|-18.2|UBER   *TRIP||1".getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        BankStatement s = ChasePlugin.parseFile(Resources.path("chase-csv/Chase5678_Activity20230131.CSV")).get(0);
        assertThat(s.transactions().get(2).sourceId()).isEqualTo(expected);
    }

    @Test
    void truncatedRowFailsNamingFileAndLine() throws Exception {
        String full = Files.readString(Resources.path("chase-csv/Chase1234_Activity_20230131.CSV"));
        String cut = full.substring(0, full.indexOf("MONTHLY SERVICE FEE\",") + "MONTHLY SERVICE FEE\",-12".length());
        Path file = Files.writeString(tmp.resolve("Chase1234_Activity_cut.CSV"), cut);

        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .isInstanceOf(DataFetchException.class)
                .hasMessage("chase: " + file + ": record line 6: has 4 of 7 columns: the file looks truncated or edited; "
                        + "download it again");
    }

    @Test
    void fileCutInsideQuotesFailsNamingTheLine() throws Exception {
        String full = Files.readString(Resources.path("chase-csv/Chase1234_Activity_20230131.CSV"));
        String cut = full.substring(0, full.indexOf("ACME CORP") + 4);
        Path file = Files.writeString(tmp.resolve("Chase1234_cut.CSV"), cut);

        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .hasMessage("chase: " + file + ": record line 7: a quoted field is never closed: the file looks "
                        + "truncated; download it again");
    }

    @Test
    void unknownHeaderSaysWhatChaseWrites() throws Exception {
        Path file = Files.writeString(tmp.resolve("other.csv"), "Date,Amount\n2023-01-01,5\n");
        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .hasMessageContaining("record line 1: is not a Chase CSV activity export: the header is [Date, Amount]");
    }

    @Test
    void badAmountNamesLineAndField() throws Exception {
        Path file = Files.writeString(tmp.resolve("Chase9999_x.csv"), String.join(",", ChaseCsvParser.CREDIT)
                + "\n01/01/2023,01/02/2023,X,,Sale,abc,\n");
        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .hasMessageContaining("record line 2: field 'Amount': 'abc' is not an amount");
    }
}
