package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.json.Json;
import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25 through the shaded jar: a Kraken account (loopback, running balances on every ledger entry) whose
 * TradesHistory left a sale out. The sync names both legs as one gap dated by the ledger's running balances,
 * {@code reconcile} shows the window and the entries around it, an OTHER-typed entry stays visible, and
 * {@code repair} re-reads the account and reconciles it.
 */
class MissingTradeJarTest {
    @TempDir
    Path dir;

    private final KrakenLedgerStandIn kraken = new KrakenLedgerStandIn();

    @AfterEach
    void stop() {
        kraken.close();
    }

    @Test
    void aSaleLeftOutIsOneGapDatedByTheLedgerAndRepairedInOneStep() throws Exception {
        Path db = dir.resolve("foliosync.db");
        Path config = dir.resolve("kraken.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                crypto_exchanges:
                  kraken:
                    exchange: kraken
                    enabled: true
                    api_key: test-key
                    api_secret: %s
                    base_url: %s
                """.formatted(db, dir.resolve("master.key"),
                Base64.getEncoder().encodeToString("kraken-secret".getBytes()), kraken.baseUrl()));
        kraken.leaveOutSale(true);

        Run sync = ShadedJar.sync(config);

        assertThat(sync.exit()).as(sync.output()).isZero();
        // both legs, one gap; the sale of 2023-11-17 lies in its window, which the USD running balances bound
        assertThat(sync.output()).as(sync.output())
                .contains("does not reconcile: crypto_exchanges kraken: 1 gap: BTC off by -0.1")
                .contains("and USD off by 3700 (reported 7200, history 3500)")
                .contains("missing after 2023-11-10, on or before 2023-11-20")
                .contains("USD: the source's running balance after entry LDEP02-AAAAA-BBBBBB on 2023-11-20 is 7200 "
                        + "USD, the history explains 3500: a movement of +3700 USD is missing between 2023-11-10 "
                        + "(entry LDEP01-AAAAA-BBBBBB, which agrees) and 2023-11-20")
                .contains("  BTC: the source's running balance after entry LWDRAW-AAAAA-BBBBBB on 2023-11-22 is 0.05 BTC, "
                        + "the history explains 0.15: a movement of -0.1 BTC is missing before it (no earlier running "
                        + "balance of BTC)")
                .contains("repair: `foliosync repair --source kraken` (re-reads the account's history from the day "
                        + "before the gap, then reconciles it again)")
                .doesNotContain("--source ID");

        List<?> rows = (List<?>) Json.readTree(json(ShadedJar.start(dir, "reconcile", "--config", config.toString(),
                "--format", "json").await()));
        Map<?, ?> usd = row(rows, "USD");
        assertThat(usd.get("status")).isEqualTo("unexplained");
        assertThat(usd.get("opening")).isEqualTo("");
        assertThat(usd.get("diverged_on")).isEqualTo("2023-11-20");
        assertThat(usd.get("agreed_through")).isEqualTo("2023-11-10");
        assertThat((List<?>) usd.get("suspect_records")).singleElement().asString().contains("LDEP02-AAAAA-BBBBBB");
        assertThat(row(rows, "BTC").get("diverged_on")).isEqualTo("2023-11-22");
        // the OTHER-typed entry does not vanish: counted, with its raw type, since it explains the ETH Kraken holds
        Map<?, ?> eth = row(rows, "ETH");
        assertThat(eth.get("status")).isEqualTo("matches");
        assertThat((List<?>) eth.get("counted_other")).singleElement().asString()
                .contains("LSETTL-AAAAA-BBBBBB").contains("raw type 'settled'").contains("+0.5 ETH");

        kraken.leaveOutSale(false);
        Run repair = ShadedJar.start(dir, "repair", "--config", config.toString()).await();

        assertThat(repair.exit()).as(repair.output()).isZero();
        assertThat(repair.output()).as(repair.output())
                .contains("repairing kraken: does not reconcile: crypto_exchanges kraken")
                // from the day before the window opens, not the whole history
                .contains("re-reading kraken from 2023-11-09")
                .contains("repaired: reconciles: crypto_exchanges kraken:");
        Run again = ShadedJar.start(dir, "repair", "--config", config.toString()).await();
        assertThat(again.output()).as(again.output()).contains("every account reconciles: nothing to repair");
    }

    private static Map<?, ?> row(List<?> rows, String asset) {
        return rows.stream().map(r -> (Map<?, ?>) r).filter(r -> asset.equals(r.get("asset"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + asset + " row in " + rows));
    }

    private static String json(Run r) {
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().substring(r.output().indexOf('['));
    }
}
