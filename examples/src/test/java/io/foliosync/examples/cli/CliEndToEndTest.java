package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line end to end, in process, against the demo's recorded data. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEndToEndTest {
    @TempDir
    static Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = FolioSyncCli.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Path db() {
        return dir.resolve("foliosync-demo.db");
    }

    static Run firstDemo;

    @BeforeAll
    static void firstDemoRun() {
        firstDemo = run("demo", "--dir", dir.toString());
    }

    /** @return source -> [imported, updated, skipped, rejected] from the summary table */
    static Map<String, long[]> summary(String out) {
        Map<String, long[]> rows = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^([\\w-]+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+[\\d.]+s\\s+(\\w+)").matcher(out);
        while (m.find()) {
            rows.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), Long.parseLong(m.group(5))});
            assertThat(m.group(6)).as("status of " + m.group(1)).isEqualTo("succeeded");
        }
        return rows;
    }

    @Test
    @Order(1)
    void demoImportsEverySourceIntoTheDatabase() {
        assertThat(firstDemo.exit()).as(firstDemo.err()).isZero();
        Map<String, long[]> rows = summary(firstDemo.out());
        // one line per account: the Kraken account, the IBKR Flex files and gateway account, Schwab's CSV exports
        assertThat(rows).containsOnlyKeys("kraken", "ibkr-flex-files", "ibkr-U7654321", "schwab-csv", "chase");
        rows.forEach((source, counts) -> {
            if (!source.equals("ibkr-U7654321")) { // the gateway gives positions; Flex holds the history
                assertThat(counts[0]).as(source + " imported").isPositive();
            }
        });
        assertThat(db()).exists();
        assertThat(firstDemo.out()).contains("Valued holdings", "Total USD");
    }

    @Test
    @Order(2)
    void secondDemoRunImportsNothingNew() {
        Run second = run("demo", "--dir", dir.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        Map<String, long[]> rows = summary(second.out());
        assertThat(rows).hasSize(5);
        rows.forEach((source, counts) -> {
            assertThat(counts[0]).as(source + " imported on the second run").isZero();
            assertThat(counts[1]).as(source + " updated on the second run").isZero();
        });
        assertThat(second.out()).contains("Nothing new");
    }

    @Test
    @Order(3)
    void transactionsAsJsonParseAndMatchTheDatabase() throws Exception {
        Run json = run("transactions", "--db", db().toString(), "--format", "json", "--limit", "0");
        assertThat(json.exit()).as(json.err()).isZero();
        List<?> rows = (List<?>) Json.readTree(json.out());
        long imported = summary(firstDemo.out()).values().stream().mapToLong(c -> c[0]).sum();
        assertThat(rows).hasSize((int) imported);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) rows.get(0);
        assertThat(first.keySet()).contains("date", "source", "type", "amount", "currency", "id");
    }

    @Test
    @Order(4)
    void filtersNarrowTheListing() throws Exception {
        Run chase = run("transactions", "--db", db().toString(), "--source", "chase", "--format", "csv");
        assertThat(chase.exit()).isZero();
        List<String> lines = chase.out().lines().toList();
        assertThat(lines.get(0)).startsWith("date,source,account,type");
        assertThat(lines.subList(1, lines.size())).isNotEmpty().allMatch(l -> l.contains(",chase,"));
    }

    @Test
    @Order(5)
    void statusListsTheJobsNewestFirst() throws Exception {
        Run status = run("status", "--db", db().toString(), "--format", "json");
        assertThat(status.exit()).as(status.err()).isZero();
        List<?> jobs = (List<?>) Json.readTree(status.out());
        assertThat(jobs).hasSize(10);
        assertThat(jobs).allSatisfy(j -> assertThat(((Map<?, ?>) j).get("status")).isEqualTo("succeeded"));
        long newest = ((java.math.BigDecimal) ((Map<?, ?>) jobs.get(0)).get("job")).longValue();
        long oldest = ((java.math.BigDecimal) ((Map<?, ?>) jobs.get(9)).get("job")).longValue();
        assertThat(newest).isGreaterThan(oldest);
    }

    @Test
    @Order(5)
    void transactionsAreListedNewestDateFirstAsTheHelpSays() {
        Run csv = run("transactions", "--db", db().toString(), "--format", "csv", "--limit", "0");
        assertThat(csv.exit()).as(csv.err()).isZero();
        List<java.time.LocalDate> dates = csv.out().lines().skip(1)
                .map(l -> java.time.LocalDate.parse(l.substring(0, l.indexOf(',')))).toList();
        assertThat(dates).hasSizeGreaterThan(10)
                .isSortedAccordingTo(java.util.Comparator.<java.time.LocalDate>naturalOrder().reversed());
        assertThat(FolioSyncCli.commandLine().getSubcommands().get("transactions").getUsageMessage())
                .contains("newest first");
    }

    @Test
    void configCheckChangesNothingOnDiskAndNamesSecretsWithoutTheirValues() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("check-scratch"));
        Path config = scratch.resolve("data_sources.yaml");
        Files.writeString(config, """
                global:
                  database_path: %1$s/data/foliosync.db
                  data_directory: %1$s/data
                  master_key_file: %1$s/data/master.key
                crypto_exchanges:
                  kraken:
                    enabled: true
                    api_key: check-key-value
                    api_secret: Y2hlY2stc2VjcmV0LXZhbHVl
                  okx:
                    enabled: false
                    api_key: ${FOLIOSYNC_TEST_UNSET_OKX_KEY}
                    api_secret: ${FOLIOSYNC_TEST_UNSET_OKX_SECRET}
                """.formatted(scratch));
        List<String> before = tree(scratch);

        Run check = run("config", "check", "--config", config.toString());

        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(tree(scratch)).isEqualTo(before);
        assertThat(check.out()).contains("master key: not created yet, sync creates it",
                "crypto_exchanges.kraken: enabled; secrets set: api_key, api_secret; missing: none",
                "crypto_exchanges.okx: disabled; secrets set: none; missing: api_key, api_secret", "OK");
        assertThat(check.out() + check.err()).doesNotContain("check-key-value", "Y2hlY2stc2VjcmV0LXZhbHVl");
    }

    static List<String> tree(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p) + (Files.isDirectory(p) ? "/" : " " + p.toFile().length()))
                    .sorted().toList();
        }
    }

    @Test
    @Order(6)
    void transactionsTakeTheSourceIdsSyncTakes() {
        Run byId = run("transactions", "--db", db().toString(), "--source", "kraken", "--format", "csv", "--limit",
                "0");
        Run byStoreName = run("transactions", "--db", db().toString(), "--source", "crypto_exchanges", "--format",
                "csv", "--limit", "0");
        assertThat(byId.exit()).as(byId.err()).isZero();
        assertThat(byId.out().lines().count()).as("kraken's transactions").isGreaterThan(5);
        assertThat(byId.out()).isEqualTo(byStoreName.out());
        Run ibkr = run("transactions", "--db", db().toString(), "--source", "ibkr-U7654321", "--format", "csv",
                "--limit", "0");
        assertThat(ibkr.out().lines().skip(1)).allSatisfy(l -> assertThat(l).contains(",ibkr,U7654321,"));
    }

    @Test
    @Order(6)
    void valueHistoryHasADayPerDayOfTheHistoryAndEndsOnValuesTotal() throws Exception {
        Run value = run("value", "--db", db().toString(), "--format", "json");
        Run history = run("value", "--history", "--db", db().toString(), "--format", "json");
        assertThat(history.exit()).as(history.err()).isZero();
        Map<?, ?> v = (Map<?, ?>) Json.moshi().adapter(Object.class).fromJson(value.out());
        Map<?, ?> h = (Map<?, ?>) Json.moshi().adapter(Object.class).fromJson(history.out());
        List<?> points = (List<?>) h.get("points");
        String first;
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT MIN(trade_date) FROM transactions")) {
            rs.next();
            first = rs.getString(1).substring(0, 10);
        }
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        assertThat(((Map<?, ?>) points.get(0)).get("date")).isEqualTo(first);
        assertThat(points).hasSize((int) java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.parse(first),
                today) + 1);
        Map<?, ?> last = (Map<?, ?>) points.get(points.size() - 1);
        assertThat(last.get("date")).isEqualTo(today.toString());
        assertThat(new java.math.BigDecimal(String.valueOf(last.get("value_usd"))))
                .isEqualByComparingTo(new java.math.BigDecimal(String.valueOf(v.get("total"))));

        Run csv = run("value", "--history", "--db", db().toString(), "--format", "csv", "--from", "2025-03-01",
                "--to", "2025-03-31");
        List<String> lines = csv.out().lines().toList();
        assertThat(lines.get(0)).startsWith("date,value_usd,deposits_withdrawals_usd,no_price,");
        assertThat(lines).hasSize(32);
        assertThat(lines.get(1)).startsWith("2025-03-01,");
        assertThat(lines.get(31)).startsWith("2025-03-31,");
    }

    @Test
    @Order(6)
    void holdingsListEverySource() {
        Run holdings = run("holdings", "--db", db().toString());
        assertThat(holdings.exit()).isZero();
        assertThat(holdings.out()).contains("crypto_exchanges", "ibkr", "schwab", "BTC", "AAPL");
    }

    @Test
    @Order(7)
    void reconcileShowsEachAccountsAssetsAsCheckedAfterItsSync() throws Exception {
        Run json = run("reconcile", "--db", db().toString(), "--format", "json");
        assertThat(json.exit()).as(json.err()).isZero();
        List<?> rows = (List<?>) Json.readTree(json.out());
        assertThat(rows).isNotEmpty();
        assertThat(rows.stream().map(r -> String.valueOf(((Map<?, ?>) r).get("source"))).distinct().toList())
                .contains("crypto_exchanges", "ibkr", "schwab");
        // the demo's sample files agree: nothing unexplained; broker cash is listed without a verdict
        assertThat(rows).allSatisfy(r -> assertThat(((Map<?, ?>) r).get("status"))
                .isIn("matches", "history_starts_after_account", "not_reconciled"));

        Run kraken = run("reconcile", "--db", db().toString(), "--source", "kraken", "--format", "json");
        List<?> only = (List<?>) Json.readTree(kraken.out());
        assertThat(only).isNotEmpty().allSatisfy(r -> assertThat(((Map<?, ?>) r).get("account")).isEqualTo("kraken"));
    }

    @Test
    @Order(8)
    void transfersListAsJsonWithBothSidesOnOneRow() throws Exception {
        // the demo's Chase checking account and Schwab account move money both ways: two transfers, one row each
        Run json = run("transfers", "--db", db().toString(), "--format", "json");
        assertThat(json.exit()).as(json.err()).isZero();
        List<?> rows = (List<?>) Json.readTree(json.out());
        assertThat(rows).hasSize(2).allSatisfy(r -> {
            Map<?, ?> row = (Map<?, ?>) r;
            assertThat(row.get("asset")).isEqualTo("USD");
            assertThat(row.get("sent")).isEqualTo(row.get("received"));
            assertThat(row.get("linked_by")).isEqualTo("amount_window");
        });
        Run table = run("transfers", "--db", db().toString());
        assertThat(table.out()).startsWith("sent_at").contains("from", "to", "linked_by");
    }

    @Test
    @Order(9)
    void flowTotalsAcrossAccountsCountALinkedTransferOnce() throws Exception {
        Map<String, java.math.BigDecimal[]> all = flows();
        Map<String, java.math.BigDecimal[]> chase = flows("--source", "chase");
        Map<String, java.math.BigDecimal[]> schwab = flows("--source", "schwab");
        Map<String, java.math.BigDecimal[]> ibkr = flows("--source", "ibkr");
        Map<String, java.math.BigDecimal[]> kraken = flows("--source", "crypto_exchanges");
        // per account, both legs are real flows: Schwab received 2500 from Chase; Chase paid out that 2500 and two
        // coffees
        assertThat(schwab.get("USD")[0]).isEqualByComparingTo("2500");
        assertThat(chase.get("USD")[1]).isEqualByComparingTo("2509");
        // across accounts the 2500 and the 300 moved between the user's own accounts: neither in nor out
        java.math.BigDecimal deposited = java.math.BigDecimal.ZERO;
        java.math.BigDecimal withdrawn = java.math.BigDecimal.ZERO;
        for (Map<String, java.math.BigDecimal[]> one : List.of(chase, schwab, ibkr, kraken)) {
            if (one.containsKey("USD")) {
                deposited = deposited.add(one.get("USD")[0]);
                withdrawn = withdrawn.add(one.get("USD")[1]);
            }
        }
        assertThat(all.get("USD")[0]).isEqualByComparingTo(deposited.subtract(new java.math.BigDecimal("2800")));
        assertThat(all.get("USD")[1]).isEqualByComparingTo(withdrawn.subtract(new java.math.BigDecimal("2800")));
        Run table = run("transactions", "--db", db().toString(), "--flows");
        assertThat(table.out()).contains("2 transfer(s) between your own accounts left out");
    }

    /** @return asset -> [deposited, withdrawn] from {@code transactions --flows} */
    private static Map<String, java.math.BigDecimal[]> flows(String... filter) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("transactions", "--db", db().toString(), "--flows",
                "--format", "json"));
        args.addAll(List.of(filter));
        Run json = run(args.toArray(String[]::new));
        assertThat(json.exit()).as(json.err()).isZero();
        Map<String, java.math.BigDecimal[]> out = new java.util.TreeMap<>();
        for (Object r : (List<?>) Json.readTree(json.out())) {
            Map<?, ?> row = (Map<?, ?>) r;
            out.put((String) row.get("asset"), new java.math.BigDecimal[] {
                new java.math.BigDecimal(String.valueOf(row.get("deposited"))),
                new java.math.BigDecimal(String.valueOf(row.get("withdrawn")))});
        }
        return out;
    }

    @Test
    void fullHistoryNeedsTheAccountsNamed() {
        Run sync = run("sync", "--config", dir.resolve("demo/data_sources.yaml").toString(), "--full");
        assertThat(sync.exit()).isEqualTo(Errors.CONFIGURATION);
        assertThat(sync.out() + sync.err()).contains("--full").contains("--source");
    }

    @Test
    void missingConfigurationIsOneClearLineAndExitCode2() {
        Run sync = run("sync", "--config", dir.resolve("nope.yaml").toString());
        assertThat(sync.exit()).isEqualTo(Errors.CONFIGURATION);
        assertThat(sync.err().lines().findFirst().orElseThrow())
                .startsWith("foliosync: ").contains("nope.yaml").contains("not found");
        assertThat(sync.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void verbosePrintsTheStackTrace() {
        Run sync = run("sync", "--verbose", "--config", dir.resolve("nope.yaml").toString());
        assertThat(sync.err()).contains("ConfigurationException", "\tat ");
    }

    @Test
    void missingSecretsAreNamedByConfigCheckWithoutEchoingValues() throws Exception {
        Path config = dir.resolve("kraken.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                crypto_exchanges:
                  kraken:
                    enabled: true
                    api_key: ${FOLIOSYNC_TEST_UNSET_KEY}
                    api_secret: ${FOLIOSYNC_TEST_UNSET_SECRET}
                """.formatted(dir.resolve("check.db")));
        Run check = run("config", "check", "--config", config.toString());
        assertThat(check.exit()).isEqualTo(Errors.CONFIGURATION);
        assertThat(check.out() + check.err()).contains("crypto_exchanges.kraken.api_key", "crypto_exchanges.kraken.api_secret");
    }

    @Test
    void shippedConfigurationPassesConfigCheck() {
        Path shipped = Path.of("..", "config", "data_sources.yaml");
        Run check = run("config", "check", "--config", shipped.toString(), "--db", dir.resolve("shipped.db").toString());
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("OK");
    }

    @Test
    void pluginsListShowsTheShippedPlugins() throws Exception {
        Path config = dir.resolve("plugins.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                plugins:
                  directory: %s
                  classpath: false
                """.formatted(dir.resolve("plugins.db"), dir.resolve("plugins.key"), DemoCommand.shippedPlugins()));
        Run list = run("plugins", "list", "--config", config.toString());
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("chase", "icbc", "template");
        Run validate = run("plugins", "validate", "--config", config.toString(),
                DemoCommand.shippedPlugins().resolve("bank-plugin-chase.jar").toString());
        assertThat(validate.exit()).as(validate.err()).isZero();
        assertThat(validate.out()).contains("valid plugin chase");
        Run invalid = run("plugins", "validate", "--config", config.toString(), config.toString());
        assertThat(invalid.exit()).isEqualTo(Errors.FAILED);
    }

    @Test
    void unreachableSourceFailsItsOwnJobWithOneLineAndExitCode1() throws Exception {
        Path config = dir.resolve("unreachable.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                crypto_exchanges:
                  kraken:
                    enabled: true
                    api_key: key
                    api_secret: c2VjcmV0
                    base_url: http://127.0.0.1:1
                schwab:
                  enabled: true
                  api_enabled: false
                  csv_fallback:
                    enabled: true
                    positions_file: %s
                    transactions_file: %s
                """.formatted(dir.resolve("unreachable.db"), dir.resolve("unreachable.key"),
                dir.resolve("demo/schwab/positions-sample.csv"), dir.resolve("demo/schwab/transactions-sample.csv")));
        Run sync = run("sync", "--config", config.toString());
        assertThat(sync.exit()).isEqualTo(Errors.FAILED);
        String krakenRow = sync.out().lines().filter(l -> l.startsWith("kraken ")).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(krakenRow).contains("failed").contains("kraken");
        assertThat(sync.out().lines().filter(l -> l.startsWith("schwab-csv ")).reduce((a, b) -> b).orElseThrow())
                .contains("succeeded");
        assertThat(sync.out() + sync.err()).doesNotContain("c2VjcmV0", "\tat ");
    }

    @Test
    void unknownSourceIsRefusedNamingTheEnabledOnes() {
        Run sync = run("sync", "--config", dir.resolve("demo/data_sources.yaml").toString(), "--source", "nope");
        assertThat(sync.exit()).isNotZero();
    }
}
