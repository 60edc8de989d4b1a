package io.foliosync.plugins.chase.bench;

import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.plugins.chase.ChasePlugin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Throughput of the Chase plugin on large statements, as a ratio to a baseline measured in the same run:
 * reading the same file and splitting it into lines (the least any reader does). Not a test.
 *
 * <pre>
 * ./mvnw -q -pl plugin-spi/bank-plugins/chase exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.foliosync.plugins.chase.bench.StatementImportBench
 * </pre>
 */
public final class StatementImportBench {
    private static final int LINES = 100_000;
    private static final int RUNS = 7;

    private StatementImportBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("chase-bench");
        Path ofxDir = Files.createDirectories(dir.resolve("ofx"));
        Path csvDir = Files.createDirectories(dir.resolve("csv"));
        Path ofx = Files.writeString(ofxDir.resolve("big.ofx"), ofx(LINES), StandardCharsets.US_ASCII);
        Path csv = Files.writeString(csvDir.resolve("Chase1234_Activity_big.CSV"), csv(LINES), StandardCharsets.US_ASCII);
        System.out.printf("lines per file: %,d; ofx %,d bytes; csv %,d bytes; %d runs, median%n", LINES, Files.size(ofx),
                Files.size(csv), RUNS);
        try {
            report("OFX 1.x SGML", ofx, ofxDir, "chase-7890");
            report("Chase CSV   ", csv, csvDir, "chase-1234");
        } finally {
            for (Path p : List.of(ofx, csv, ofxDir, csvDir, dir)) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void report(String label, Path file, Path dir, String account) throws IOException {
        long baseline = median(() -> Files.readString(file, StandardCharsets.ISO_8859_1).lines().count());
        long plugin = median(() -> {
            ChasePlugin p = new ChasePlugin();
            p.authenticate(Map.of("statement_dir", dir.toString()));
            List<BankTransaction> t = p.getTransactions(account, Optional.empty());
            if (t.size() != LINES) {
                throw new IllegalStateException("expected " + LINES + " lines but read " + t.size());
            }
            return t.size();
        });
        System.out.printf("%s baseline (read + split lines) %6.1f ms | plugin import %7.1f ms | ratio %5.1fx | %,.0f lines/s%n",
                label, baseline / 1e6, plugin / 1e6, (double) plugin / baseline, LINES / (plugin / 1e9));
    }

    interface Work {
        long run() throws IOException;
    }

    private static long median(Work work) throws IOException {
        long sink = 0;
        for (int i = 0; i < 3; i++) {
            sink += work.run(); // warm-up
        }
        long[] times = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            sink += work.run();
            times[i] = System.nanoTime() - start;
        }
        if (sink == 42) {
            System.out.print("");
        }
        Arrays.sort(times);
        return times[RUNS / 2];
    }

    private static String ofx(int n) {
        StringBuilder sb = new StringBuilder("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nCHARSET:1252\n\n<OFX>\n"
                + "<BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\n<BANKACCTFROM><BANKID>1<ACCTID>000007890"
                + "<ACCTTYPE>CHECKING</BANKACCTFROM>\n<BANKTRANLIST>\n");
        for (int i = 0; i < n; i++) {
            sb.append("<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>2023").append(String.format("%02d%02d", 1 + i % 12, 1 + i % 28))
                    .append("120000.000[-5:EST]\n<TRNAMT>-").append(i % 1000).append('.').append(String.format("%02d", i % 100))
                    .append("\n<FITID>").append(1_000_000 + i).append("\n<NAME>MERCHANT ").append(i % 500)
                    .append("\n<MEMO>PURCHASE AT MERCHANT ").append(i % 500).append(" CARD 1234\n</STMTTRN>\n");
        }
        return sb.append("</BANKTRANLIST>\n<LEDGERBAL><BALAMT>1.00<DTASOF>20231231</LEDGERBAL>\n</STMTRS></STMTTRNRS>"
                + "</BANKMSGSRSV1>\n</OFX>\n").toString();
    }

    private static String csv(int n) {
        StringBuilder sb = new StringBuilder("Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n");
        for (int i = 0; i < n; i++) {
            sb.append("DEBIT,").append(String.format("%02d/%02d/2023", 1 + i % 12, 1 + i % 28))
                    .append(",\"MERCHANT ").append(i % 500).append(" SEATTLE WA\",-").append(i % 1000).append('.')
                    .append(String.format("%02d", i % 100)).append(",DEBIT_CARD,").append(100_000 + i).append(".00,,\n");
        }
        return sb.toString();
    }
}
