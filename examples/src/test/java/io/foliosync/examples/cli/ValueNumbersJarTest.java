package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.json.Json;
import io.foliosync.examples.cli.ShadedJar.Run;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numbers a user reads after a sync, through the shaded jar as a process: an option is worth its contract, a
 * bond its percent of par, the exchange's price at the sync beats an older quote, a total names what it leaves
 * out, and without market data holdings are valued at their sources' prices.
 */
class ValueNumbersJarTest {
    @TempDir
    Path dir;

    @Test
    void theDemoValuesOptionsByContractPrefersTheExchangesFreshPriceAndListsWhatItLeavesOut() throws Exception {
        Run demo = ShadedJar.start(dir, "demo").await();
        assertThat(demo.exit()).as(demo.output()).isZero();
        // Kraken reported BTC at 60,000 at the sync; the replayed Yahoo quote (97,208.17) is from 2025
        String btc = demo.output().lines().filter(l -> l.startsWith("crypto_exchanges") && l.contains(" BTC "))
                .findFirst().orElseThrow();
        assertThat(btc).contains("60000").contains("source").contains("936343.8").doesNotContain("97208.17");
        // EUR cash and SAP convert at the rate IBKR's ledger reported at the sync (the Yahoo FX recording is of 2020)
        assertThat(demo.output()).containsPattern("Total USD [0-9,]+\\.\\d\\d of 15 holdings; 1 holding left out: "
                + "1 without a price \\(XTZ\\)");
        String sap = demo.output().lines().filter(l -> l.startsWith("ibkr") && l.contains(" SAP ")).findFirst()
                .orElseThrow();
        assertThat(sap).contains("1.0932").contains("3399.31"); // 15 × 207.3000031 EUR × 1.0932

        // the same database with no configuration: no market data, the sources' own prices
        Run value = ShadedJar.start(dir, "value", "--db", "data/foliosync-demo.db", "--format", "json").await();
        assertThat(value.exit()).as(value.output()).isZero();
        Map<String, Object> json = json(value.output());
        assertThat(json.get("source_prices_only")).isEqualTo(true);
        assertThat((String) json.get("note")).contains("no configuration file");
        List<Map<String, Object>> rows = list(json.get("holdings"));
        Map<String, Object> option = row(rows, "SMPL 04/17/2025 100.00 C");
        assertThat(decimal(option.get("value_usd"))).isEqualByComparingTo("-125.00");
        assertThat(option.get("terms")).isEqualTo("x100");
        BigDecimal sum = rows.stream().map(r -> Optional.ofNullable(r.get("value_usd")).map(ValueNumbersJarTest::decimal)
                .orElse(BigDecimal.ZERO)).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(decimal(json.get("total"))).isEqualByComparingTo(sum);
        List<Map<String, Object>> left = list(json.get("left_out"));
        assertThat(left).extracting(l -> l.get("symbol") + ":" + l.get("reason")).containsExactly("XTZ:no_price");
        assertThat(decimal(row(rows, "EUR").get("value_usd"))).isEqualByComparingTo("-131.73");
        assertThat(((Number) json.get("valued_count")).intValue() + left.size())
                .isEqualTo(((Number) json.get("holdings_count")).intValue());

        Run holdings = ShadedJar.start(dir, "holdings", "--db", "data/foliosync-demo.db").await();
        assertThat(holdings.output()).contains("At the sources' prices, per currency: EUR 2,989.00 (2 holdings), USD ")
                .contains("left out: 1 in USD without a price (XTZ)");
    }

    @Test
    void bondAndBillTradesImportAndPositionsAreWorthTheirPercentOfPar() throws Exception {
        Path statement = Path.of("..", "connectors-ibkr", "src", "test", "resources", "ibkr", "flex",
                "bonds-and-bills.xml").toAbsolutePath().normalize();
        Files.createDirectories(dir.resolve("config"));
        Path config = dir.resolve("config/data_sources.yaml");
        Files.writeString(config, """
                global:
                  database_path: data/foliosync.db
                  master_key_file: data/master.key
                interactive_brokers:
                  enabled: true
                  client_portal: false
                  flex:
                    files: ["%s"]
                """.formatted(statement.toString().replace("\\", "/")));

        Run sync = ShadedJar.sync(config);

        assertThat(sync.exit()).as(sync.output()).isZero();
        // 4 trades (a bill, two bond trades, an option) and 3 cash lines: none rejected by the amount check
        assertThat(sync.line("ibkr-flex-files")).containsPattern("ibkr-flex-files\\s+7\\s+0\\s+0\\s+0\\s");
        // where `sync` ran (ShadedJar.sync), so that the configuration's relative database path is the same file
        Run value = ShadedJar.start(config.getParent(), "value", "--config", config.toString(), "--format", "json")
                .await();
        assertThat(value.exit()).as(value.output()).isZero();
        List<Map<String, Object>> rows = list(json(value.output()).get("holdings"));
        assertThat(decimal(row(rows, "B 06/26/25").get("value_usd"))).isEqualByComparingTo("9912.00");
        assertThat(row(rows, "B 06/26/25").get("terms")).isEqualTo("% of par");
        assertThat(decimal(row(rows, "T 4 1/4 12/31/26").get("value_usd"))).isEqualByComparingTo("15037.50");
        assertThat(decimal(row(rows, "AAPL 250321C00250000").get("value_usd"))).isEqualByComparingTo("210.00");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String output) throws Exception {
        String body = output.substring(output.indexOf('{'), output.lastIndexOf('}') + 1);
        return (Map<String, Object>) Json.moshi().adapter(Object.class).fromJson(body);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static Map<String, Object> row(List<Map<String, Object>> rows, String symbol) {
        return rows.stream().filter(r -> symbol.equals(r.get("symbol"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + symbol + " in " + rows));
    }

    private static BigDecimal decimal(Object o) {
        return new BigDecimal(o.toString());
    }
}
