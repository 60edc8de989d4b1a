package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.json.Json;
import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as users run it, the shaded jar as a process: its sample accounts agree with their histories (each
 * reconciles or carries an explanation), and its bank and broker accounts' transfers are linked and listed once.
 */
class DemoReconcilesJarTest {
    @TempDir
    Path dir;

    @Test
    void everyDemoAccountReconcilesOrIsExplainedAndItsTransfersAreLinkedOnce() throws Exception {
        Run demo = ShadedJar.start(dir, "demo", "--dir", dir.resolve("data").toString()).await();
        assertThat(demo.exit()).as(demo.output()).isZero();
        assertThat(demo.output()).as(demo.output())
                .contains("Every account reconciles or its difference is explained.")
                .doesNotContain("does not reconcile")
                .contains("reconciles: crypto_exchanges kraken:", "reconciles: ibkr U7654321:",
                        "reconciles: schwab csv:Brokerage ...987:", "reconciles: chase chase-5678:")
                .contains("the history starts after the account for LTC 16.50573")
                .contains("cash not reconciled: USD 7235");
        Path db = dir.resolve("data").resolve("foliosync-demo.db");

        List<?> rows = (List<?>) Json.readTree(run("reconcile", "--db", db.toString(), "--format", "json"));
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(((Map<?, ?>) r).get("status"))
                .isIn("matches", "history_starts_after_account", "not_reconciled"));
        assertThat(rows.stream().map(r -> String.valueOf(((Map<?, ?>) r).get("source"))).distinct().toList())
                .containsExactlyInAnyOrder("crypto_exchanges", "ibkr", "schwab", "chase");
        // broker cash is listed, not judged: every not_reconciled row is cash of a broker account
        assertThat(rows.stream().map(r -> (Map<?, ?>) r).filter(r -> "not_reconciled".equals(r.get("status"))))
                .isNotEmpty().allSatisfy(r -> assertThat(r.get("source")).isIn("ibkr", "schwab"));
        // the checking account's statement balance, opening fixed by the first balance the plugin reported
        assertThat(rows.stream().map(r -> (Map<?, ?>) r).filter(r -> "chase".equals(r.get("source"))))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("asset")).isEqualTo("USD");
                    assertThat(r.get("reported")).isEqualTo("4979");
                    assertThat(r.get("opening")).isEqualTo("4000");
                });

        List<?> transfers = (List<?>) Json.readTree(run("transfers", "--db", db.toString(), "--format", "json"));
        assertThat(transfers).hasSize(2);
        assertThat(transfers.stream().map(t -> ((Map<?, ?>) t).get("from") + " -> " + ((Map<?, ?>) t).get("to")
                + " " + ((Map<?, ?>) t).get("sent")).toList())
                .containsExactlyInAnyOrder("schwab csv:Brokerage ...987 -> chase chase-5678 300",
                        "chase chase-5678 -> schwab csv:Brokerage ...987 2500");
        // (a second demo run links nothing twice: CliEndToEndTest, in process, and TransferLinkStoreTest)

    }

    private String run(String... args) throws Exception {
        Run r = ShadedJar.start(dir, args).await();
        assertThat(r.exit()).as(r.output()).isZero();
        // the output file holds stderr too: the JSON document is what starts with '['
        return r.output().substring(r.output().indexOf('['));
    }
}
