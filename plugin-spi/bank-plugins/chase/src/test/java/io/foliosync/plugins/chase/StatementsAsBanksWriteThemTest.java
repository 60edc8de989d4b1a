package io.foliosync.plugins.chase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.BankStatement;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.InstitutionAuthenticationException;
import io.foliosync.connectors.api.InstitutionErrorException;
import io.foliosync.connectors.api.InstitutionStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples in {@code bank-layouts/} (see its README): what real downloads do that tidy ones do not. */
class StatementsAsBanksWriteThemTest {
    @TempDir
    Path dir;

    private Path copy(String resource) throws Exception {
        Path from = Resources.path(resource);
        return Files.copy(from, dir.resolve(from.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private ChasePlugin pluginOn(Path location) {
        ChasePlugin plugin = new ChasePlugin();
        assertThat(plugin.authenticate(Map.of("statement_dir", location.toString())).success()).isTrue();
        return plugin;
    }

    @Test
    void twoDifferentLinesSharingAFitidAreBothKeptWithAWarningAndAnIdenticalRepeatIsStillOne() throws Exception {
        Path file = copy("bank-layouts/shared-fitid.qfx");
        ChasePlugin plugin = pluginOn(dir);

        List<BankTransaction> lines = plugin.getTransactions("chase-4321", Optional.empty());

        assertThat(lines).extracting(BankTransaction::description)
                .containsExactly("WHOLE FOODS MARKET", "CITY PARKING", "PAYROLL ACME CORP");
        assertThat(lines.get(0).sourceId()).as("the first keeps the FITID earlier imports stored").isEqualTo("20230206");
        assertThat(lines.get(1).sourceId()).matches("20230206#[0-9a-f]{12}");
        assertThat(lines.get(2).sourceId()).isEqualTo("20230215001");
        assertThat(plugin.takeWarnings()).singleElement().satisfies(w -> {
            assertThat(w.reference()).isEqualTo(file.toString());
            assertThat(w.line()).hasValue(51);
            assertThat(w.field()).contains("FITID");
            assertThat(w.message()).contains("FITID '20230206'").contains("line 44").contains("both lines are kept")
                    .contains(lines.get(1).sourceId());
        });
        // the same download read again gives the same ids
        assertThat(ChasePlugin.parseFile(file).get(0).transactions()).extracting(BankTransaction::sourceId)
                .containsExactly("20230206", lines.get(1).sourceId(), "20230206", "20230215001");
    }

    @Test
    void aMissingBankTranListEndTagLosesNeitherLinesNorTheLedgerBalance() throws Exception {
        Path file = copy("bank-layouts/no-banktranlist-end-tag.ofx");

        BankStatement s = ChasePlugin.parseFile(file).get(0);

        assertThat(s.transactions()).extracting(BankTransaction::sourceId)
                .containsExactly("202302060001", "202302150001");
        assertThat(s.balance()).hasValueSatisfying(b -> {
            assertThat(b.amount()).isEqualByComparingTo("2457.90");
            assertThat(b.available()).hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo("2400.00"));
            assertThat(b.asOf()).isEqualTo(Instant.parse("2023-02-28T12:00:00Z"));
        });
    }

    @Test
    void aMissingStmtTrnEndTagEndsTheLineWhereTheNextOneStarts() throws Exception {
        String text = Files.readString(Resources.path("bank-layouts/no-banktranlist-end-tag.ofx"),
                StandardCharsets.US_ASCII).replace("<NAME>WHOLE FOODS MARKET\n</STMTTRN>", "<NAME>WHOLE FOODS MARKET");
        Path file = Files.writeString(dir.resolve("no-ends.ofx"), text, StandardCharsets.US_ASCII);

        BankStatement s = ChasePlugin.parseFile(file).get(0);

        assertThat(s.transactions()).hasSize(2);
        assertThat(s.balance()).isPresent();
    }

    @Test
    void aGarbledBalanceTimestampDropsThatFieldWithAWarningAndTheLinesAreImported() throws Exception {
        Path file = copy("bank-layouts/garbled-balance-date.qfx");
        List<DataWarning> warnings = new ArrayList<>();

        List<BankStatement> statements = ChasePlugin.read(file, warnings::add);

        assertThat(statements.get(0).transactions()).hasSize(2);
        assertThat(statements.get(0).balance()).hasValueSatisfying(b -> {
            assertThat(b.amount()).isEqualByComparingTo("2457.90");
            assertThat(b.asOf()).as("the newest line's day").isEqualTo(Instant.parse("2023-02-15T00:00:00Z"));
        });
        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.source()).isEqualTo("chase");
            assertThat(w.reference()).isEqualTo(file.toString());
            assertThat(w.line()).isEqualTo(OptionalInt.of(61));
            assertThat(w.field()).contains("LEDGERBAL.DTASOF");
            assertThat(w.message()).contains("'2023022812:00:00[-5:EST]' is not an OFX date").contains("dropped");
        });
    }

    @Test
    void aGarbledRunningBalanceDropsOnlyThatField() throws Exception {
        String text = Files.readString(Resources.path("bank-layouts/garbled-balance-date.qfx"),
                StandardCharsets.US_ASCII).replace("<NAME>PAYROLL ACME CORP", "<NAME>PAYROLL ACME CORP\n<ACCTBAL>2,457.9O");
        Path file = Files.writeString(dir.resolve("acctbal.qfx"), text, StandardCharsets.US_ASCII);
        List<DataWarning> warnings = new ArrayList<>();

        List<BankTransaction> lines = ChasePlugin.read(file, warnings::add).get(0).transactions();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).balanceAfter()).isEmpty();
        assertThat(warnings).extracting(w -> w.field().orElseThrow()).containsExactly("ACCTBAL", "LEDGERBAL.DTASOF");
    }

    @Test
    void aMalformedRequiredAmountStillRejectsTheFileNamingFileLineAndField() throws Exception {
        String text = Files.readString(Resources.path("bank-layouts/garbled-balance-date.qfx"),
                StandardCharsets.US_ASCII).replace("<TRNAMT>1500.00", "<TRNAMT>1.500.00");
        Path file = Files.writeString(dir.resolve("bad-amount.qfx"), text, StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> ChasePlugin.read(file, w -> { })).isInstanceOf(DataFetchException.class)
                .hasMessage("chase: " + file + ": record line 51: field 'TRNAMT': '1.500.00' is not an amount");
    }

    @Test
    void aRefusedSignOnIsTheInstitutionsAuthenticationErrorWithItsCodeAndMessage() throws Exception {
        Path file = copy("bank-layouts/signon-refused-15500.qfx");

        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .isInstanceOf(AuthenticationException.class)
                .isInstanceOfSatisfying(InstitutionAuthenticationException.class, e -> {
                    assertThat(e.status()).isEqualTo(new InstitutionStatus(15500, "ERROR",
                            Optional.of("Invalid identification code or password")));
                    assertThat(e.file()).contains(file.toString());
                    assertThat(e.line()).hasValue(14);
                })
                .hasMessageContaining(file + ": line 14: the institution refused the sign-on with its error "
                        + "code 15500 (ERROR): Invalid identification code or password")
                .hasMessageNotContaining("investment");
    }

    @Test
    void aServerErrorIsTheInstitutionsErrorWithItsCodeAndMessage() throws Exception {
        Path file = copy("bank-layouts/server-error-2000.ofx");

        assertThatThrownBy(() -> ChasePlugin.parseFile(file))
                .isInstanceOfSatisfying(InstitutionErrorException.class, e -> {
                    assertThat(e.status()).isEqualTo(new InstitutionStatus(2000, "ERROR",
                            Optional.of("General Server Error")));
                    assertThat(e.endpoint()).contains(file.toString());
                    assertThat(e.record()).contains("line 30");
                })
                .hasMessageContaining("code 2000 (ERROR): General Server Error")
                .hasMessageNotContaining("investment");
    }

    @Test
    void aStatementRequestRefusedBesideOneAnsweredAndANonErrorStatusAreWarningsAndTheStatementIsRead()
            throws Exception {
        String text = Files.readString(Resources.path("bank-layouts/shared-fitid.qfx"), StandardCharsets.US_ASCII)
                .replace("<CODE>0\n<SEVERITY>INFO\n</STATUS>\n<STMTRS>",
                        "<CODE>2019\n<SEVERITY>WARN\n<MESSAGE>Duplicate request\n</STATUS>\n<STMTRS>")
                .replace("</STMTTRNRS>", "</STMTTRNRS>\n<STMTTRNRS>\n<TRNUID>2\n<STATUS>\n<CODE>2003\n"
                        + "<SEVERITY>ERROR\n<MESSAGE>Account not found\n</STATUS>\n</STMTTRNRS>");
        Path file = Files.writeString(dir.resolve("two-requests.qfx"), text, StandardCharsets.US_ASCII);
        List<DataWarning> warnings = new ArrayList<>();

        List<BankStatement> statements = ChasePlugin.read(file, warnings::add);

        assertThat(statements).singleElement().satisfies(s -> assertThat(s.transactions()).hasSize(4));
        assertThat(warnings).filteredOn(w -> w.field().orElse("").equals("STMTTRNRS.STATUS"))
                .extracting(DataWarning::message).satisfiesExactly(
                        m -> assertThat(m).contains("code 2019 (WARN): Duplicate request")
                                .contains("the statement is read as it is"),
                        m -> assertThat(m).contains("code 2003 (ERROR): Account not found")
                                .contains("the file's other statements are imported"));
    }

    @Test
    void aFolderImportsEverySupportedFileAndSaysWhichItSkippedAndWhy() throws Exception {
        copy("bank-layouts/no-banktranlist-end-tag.ofx");
        Path investment = copy("ofx/ofxparse-fidelity-investment.ofx");
        Path refused = copy("bank-layouts/signon-refused-15500.qfx");
        Path pdf = Files.writeString(dir.resolve("Statement_2023-02.pdf"), "%PDF-1.4");
        ChasePlugin plugin = pluginOn(dir);

        assertThat(plugin.getAccounts()).extracting(a -> a.accountId()).containsExactly("chase-4321");
        assertThat(plugin.getTransactions("chase-4321", Optional.empty())).hasSize(2);
        List<DataWarning> warnings = plugin.takeWarnings();

        assertThat(warnings).extracting(DataWarning::reference)
                .containsExactly(investment.toString(), pdf.toString(), refused.toString());
        assertThat(warnings.get(0).message()).startsWith("skipped, nothing imported from this file: ")
                .contains("investment statements are not supported");
        assertThat(warnings.get(1).message()).contains("not a statement file this plugin reads (.csv, .ofx, .qfx)");
        assertThat(warnings.get(2).message()).contains("code 15500 (ERROR): Invalid identification code or password");
        assertThat(plugin.takeWarnings()).isEmpty();
    }
}
