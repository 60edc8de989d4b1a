package io.foliosync.connectors.schwab.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.testing.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source ids (and the line each record names) must not change when the CSV reader changes: users' databases
 * deduplicate re-imports by them. The expected lines in {@code schwab/csv/source-ids-before-commons-csv.txt}
 * were written by the hand-written reader that Commons CSV replaced (commit 68e94af), with {@link #describe}.
 */
class CsvSourceIdsUnchangedTest {
    @TempDir
    Path dir;

    /** One line per record: file, index, csvLine attribute, and the source id (or symbol for positions). */
    static List<String> describe(String name, List<Transaction> txs, List<Holding> holdings) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            Transaction t = txs.get(i);
            out.add(name + "\t" + i + "\t" + t.attributes().get("csvLine") + "\t" + t.sourceId().orElseThrow());
        }
        for (int i = 0; i < holdings.size(); i++) {
            Holding h = holdings.get(i);
            out.add(name + "\tposition " + i + "\t" + h.attributes().get("csvLine") + "\t" + h.symbol());
        }
        return out;
    }

    private static List<String> expected(String prefix) throws IOException {
        try (InputStream in = CsvSourceIdsUnchangedTest.class.getResourceAsStream(
                "/schwab/csv/source-ids-before-commons-csv.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith(prefix + "\t")).toList();
        }
    }

    private Path sample(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/schwab/csv/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }

    @Test
    void sampleExportsKeepTheirSourceIdsAndLines() throws IOException {
        List<String> actual = new ArrayList<>();
        actual.addAll(describe("transactions-sample.csv",
                SchwabCsv.parseTransactions(sample("transactions-sample.csv"), null), List.of()));
        actual.addAll(describe("positions-sample.csv", List.of(),
                SchwabCsv.parsePositions(sample("positions-sample.csv"), null)));

        List<String> expected = new ArrayList<>(expected("transactions-sample.csv"));
        expected.addAll(expected("positions-sample.csv"));
        assertThat(expected).hasSize(16);
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void publishedExportKeepsItsSourceIdsAndLines() throws IOException {
        Optional<Path> file = SharedFixtures.file("schwab-csv/brokerage-transactions.csv");
        assumeTrue(file.isPresent(), "shared fixtures not present");
        assertThat(describe("brokerage-transactions.csv", SchwabCsv.parseTransactions(file.get(), null), List.of()))
                .containsExactlyElementsOf(expected("brokerage-transactions.csv")).hasSize(11);
    }
}
