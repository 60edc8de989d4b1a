package io.foliosync.plugins.chase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 case 4: a 200 MB OFX statement was read whole into memory (4.3 GB resident, OutOfMemoryError under a
 * 512 MB heap), ending the run for every source. Now a statement past the plugin's limit is refused unread with a
 * typed error, skipped with a warning naming it, and the folder's other statements import; shown in a child JVM
 * with a 64 MB heap, where reading the big file would run out of memory. A test, not a benchmark.
 */
class LargeStatementTest {
    @TempDir
    Path dir;

    /** Writes an SGML OFX statement of about {@code bytes} bytes: one account, many transactions. */
    private static void writeLargeOfx(Path file, long bytes) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
                    + "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS>"
                    + "<CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20230131120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>\n"
                    + "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>USD\n"
                    + "<BANKACCTFROM><BANKID>021000021<ACCTID>000099990001<ACCTTYPE>CHECKING</BANKACCTFROM>\n"
                    + "<BANKTRANLIST><DTSTART>20230101<DTEND>20230131\n");
            long written = 0;
            for (long i = 0; written < bytes; i++) {
                String trn = "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20230115<TRNAMT>-1.00<FITID>F" + i
                        + "<NAME>COFFEE SHOP NUMBER " + i + "<MEMO>a memo long enough to make the file large</STMTTRN>\n";
                w.write(trn);
                written += trn.length();
            }
            w.write("</BANKTRANLIST><LEDGERBAL><BALAMT>1.00<DTASOF>20230131</LEDGERBAL></STMTRS></STMTTRNRS>"
                    + "</BANKMSGSRSV1>\n</OFX>\n");
        }
    }

    @Test
    void aStatementOverTheLimitIsSkippedUnreadAndTheOthersImportUnderA64MbHeap() throws Exception {
        Path statements = Files.createDirectories(dir.resolve("statements"));
        writeLargeOfx(statements.resolve("a-huge.ofx"), 120L * 1024 * 1024);
        Files.copy(Resources.path("chase-qfx/Chase5678_Activity_20230131.QFX"),
                statements.resolve("b-Chase5678_Activity_20230131.QFX"));

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                LargeStatementMain.class.getName(), statements.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("OutOfMemoryError");
        assertThat(out).contains("account chase-5678 4");
        assertThat(out).contains("warning").contains("a-huge.ofx").contains("more than the 10485760 bytes")
                .contains("max_statement_mb");
    }

    @Test
    void theLimitIsTheSettingAndAnUnreadableSettingIsRefusedNamingIt() throws Exception {
        Path statements = Files.createDirectories(dir.resolve("limit"));
        writeLargeOfx(statements.resolve("a-2mb.ofx"), 2L * 1024 * 1024);
        Files.copy(Resources.path("chase-qfx/Chase5678_Activity_20230131.QFX"), statements.resolve("b.QFX"));
        ChasePlugin plugin = new ChasePlugin();

        assertThat(plugin.authenticate(java.util.Map.of("statement_dir", statements.toString(),
                "max_statement_mb", "1")).success()).isTrue();
        assertThat(plugin.getAccounts()).extracting(a -> a.accountId()).containsExactly("chase-5678");
        assertThat(plugin.takeWarnings()).singleElement().satisfies(w -> assertThat(w.describe())
                .contains("a-2mb.ofx").contains("max_statement_mb is 1"));

        assertThat(plugin.authenticate(java.util.Map.of("statement_dir", statements.toString(),
                "max_statement_mb", "3")).success()).isTrue();
        assertThat(plugin.getAccounts()).extracting(a -> a.accountId()).contains("chase-0001", "chase-5678");

        for (String bad : List.of("0", "lots", "5000")) {
            assertThat(plugin.authenticate(java.util.Map.of("statement_dir", statements.toString(),
                    "max_statement_mb", bad)).message()).as(bad).contains("max_statement_mb must be");
        }
    }
}
