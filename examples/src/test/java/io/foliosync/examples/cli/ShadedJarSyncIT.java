package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar, as a user runs it, syncs every exchange the README lists. It runs in the
 * {@code integration-test} phase (see the {@code shaded-jar} execution in examples/pom.xml) because the shaded
 * jar exists only after {@code package}: a class path test would not see what the jar leaves out, which is how
 * Binance and HTX failed with {@code NoClassDefFoundError} although every module test passed.
 */
@Tag("shaded-jar")
class ShadedJarSyncIT {
    static final Path JAR = Path.of(System.getProperty("foliosync.jar", "target/foliosync.jar")).toAbsolutePath();

    /**
     * Records each account imports from what its server below serves. The process runs on the real clock, so
     * a record counts only when the exchange's history window reaches it and it is final:
     * <ul>
     * <li>binance: 2 BTCUSDT trades, 1 credited deposit (the pending one waits), 2 withdrawals, 1 asset
     *     dividend and 28 dust conversions = 34</li>
     * <li>htx: the credited deposit only: the confirming deposit and the cancelled withdrawal wait, and the
     *     sample trades are older than the 120 days HTX keeps</li>
     * <li>gateio: every sample trade, deposit and withdrawal but the pending deposit</li>
     * <li>kraken, okx, coinbase: the records the connector tests read from the same files</li>
     * </ul>
     */
    static final Map<String, Long> EXPECTED_IMPORTS = new TreeMap<>(Map.of(
            "kraken", 9L, "okx", 5L, "binance", 34L, "coinbase", 10L, "gateio", 4L, "htx", 2L));

    @TempDir
    Path dir;

    final List<FakeExchange> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(FakeExchange::close);
    }

    @Test
    void shadedJarSyncsEveryExchangeTheReadmeListsIntoTheDatabase() throws Exception {
        assertThat(JAR).as("the shaded jar (built in the package phase)").isRegularFile();
        Path db = dir.resolve("data/foliosync.db");
        Path config = dir.resolve("data_sources.yaml");
        Files.writeString(config, configuration(db));

        Path log = dir.resolve("sync.log");
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-jar", JAR.toString(), "sync", "--config",
                config.toString()).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        // the master key must come from the scratch directory's file, never from whoever runs the build
        pb.environment().remove("FOLIOSYNC_MASTER_KEY");
        Process p = pb.start();
        boolean finished = p.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertThat(finished).as("sync finished within 4 minutes; output so far:\n" + output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");

        Map<String, String[]> rows = summary(output);
        assertThat(rows).as(output).containsOnlyKeys(EXPECTED_IMPORTS.keySet());
        Map<String, Long> imported = new TreeMap<>();
        rows.forEach((account, row) -> {
            assertThat(row[1]).as(account + " status\n" + output).isEqualTo("succeeded");
            imported.put(account, Long.parseLong(row[0]));
        });
        assertThat(imported).as(output).isEqualTo(EXPECTED_IMPORTS);
        for (FakeExchange server : servers) {
            assertThat(server.unrouted()).as(server.name + " calls without a recorded answer").isEmpty();
        }
        // no secret reaches the output
        assertThat(output).doesNotContain(SECRETS);

        Map<String, Long> stored = new TreeMap<>();
        Map<String, Long> held = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT account_id, COUNT(*) FROM transactions GROUP BY account_id")) {
                while (rs.next()) {
                    stored.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT account_id, COUNT(*) FROM holdings GROUP BY account_id")) {
                while (rs.next()) {
                    held.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        assertThat(stored).isEqualTo(EXPECTED_IMPORTS);
        assertThat(held.keySet()).isEqualTo(EXPECTED_IMPORTS.keySet());
        assertThat(held.values()).allMatch(n -> n > 0);
    }

    static final String KRAKEN_SECRET = Base64.getEncoder().encodeToString(
            "not-a-real-kraken-secret".getBytes(StandardCharsets.UTF_8));
    static final String[] SECRETS = {KRAKEN_SECRET, "okx-fake-secret", "okx-fake-passphrase", "binance-fake-secret",
        "gateio-fake-secret", "htx-fake-secret", "PRIVATE KEY"};

    String configuration(Path db) throws Exception {
        StringBuilder y = new StringBuilder("""
                global:
                  sync_frequency: manual
                  database_path: %s
                  data_directory: %s
                  master_key_file: %s
                crypto_exchanges:
                """.formatted(db, dir.resolve("data"), dir.resolve("data/master.key")));
        exchange(y, "kraken", kraken(), "kraken-fake-key", KRAKEN_SECRET, null, "USD");
        exchange(y, "okx", okx(), "okx-fake-key", "okx-fake-secret", "okx-fake-passphrase", "USD");
        exchange(y, "binance", binance(), "binance-fake-key", "binance-fake-secret", null, "USD");
        exchange(y, "coinbase", coinbase(), "organizations/org-fake/apiKeys/key-fake", coinbasePem(), null, "USD");
        exchange(y, "gateio", gateio(), "gateio-fake-key", "gateio-fake-secret", null, "USDT");
        exchange(y, "htx", htx(), "htx-fake-key", "htx-fake-secret", null, "USDT");
        return y.toString();
    }

    static void exchange(StringBuilder y, String id, FakeExchange server, String key, String secret,
                         String passphrase, String quote) {
        y.append("  ").append(id).append(":\n")
                .append("    enabled: true\n")
                .append("    base_url: ").append(server.baseUrl()).append('\n')
                .append("    api_key: ").append(key).append('\n')
                .append("    quote_currency: ").append(quote).append('\n')
                // the servers answer at once: the documented limits would only make the test slow
                .append("    rate_limit_per_minute: 60000\n");
        if (secret.contains("\n")) {
            y.append("    api_secret: |\n");
            secret.lines().forEach(l -> y.append("      ").append(l).append('\n'));
        } else {
            y.append("    api_secret: ").append(secret).append('\n');
        }
        if (passphrase != null) {
            y.append("    passphrase: ").append(passphrase).append('\n');
        }
    }

    /** A fresh P-256 key as Coinbase's CDP shows one, PEM-encoded (PKCS#8, which the connector also reads). */
    static String coinbasePem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    FakeExchange kraken() {
        return start("kraken")
                .json("/0/private/Balance", resource("demo/kraken/balance-own.json"))
                .json("/0/public/AssetPairs", resource("demo/kraken/assetpairs-own.json"))
                .json("/0/public/Ticker", resource("demo/kraken/ticker-own.json"))
                .json("/0/private/TradesHistory", resource("demo/kraken/tradeshistory.json"))
                .json("/0/private/Ledgers", resource("demo/kraken/ledgers.json"))
                .json("/0/private/DepositStatus", resource("demo/kraken/depositstatus-own.json"))
                .json("/0/private/WithdrawStatus", resource("demo/kraken/withdrawstatus-own.json"))
                .json("/0/public/Time", "{\"error\":[],\"result\":{\"unixtime\":1703980800,"
                        + "\"rfc1123\":\"Sun, 31 Dec 23 00:00:00 +0000\"}}");
    }

    FakeExchange okx() {
        return start("okx")
                .json("/api/v5/account/balance", resource("exchanges/okx/account-balance-own.json"))
                .json("/api/v5/asset/balances", resource("exchanges/okx/v5-asset-balances.txt"))
                .json("/api/v5/market/tickers", resource("exchanges/okx/market-tickers-own.json"))
                .json("/api/v5/trade/fills-history", resource("exchanges/okx/v5-trade-fills.txt"))
                .json("/api/v5/asset/deposit-history", resource("exchanges/okx/v5-asset-deposit-history.txt"))
                .json("/api/v5/asset/withdrawal-history", resource("exchanges/okx/v5-asset-withdrawal-history.txt"))
                .json("/api/v5/asset/bills", resource("exchanges/okx/asset-bills-own.json"))
                .json("/api/v5/public/time", "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"ts\":\"1709251199000\"}]}");
    }

    FakeExchange binance() {
        java.time.format.DateTimeFormatter utc = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        return start("binance")
                .json("/api/v3/account", resource("exchanges/binance/account-own.json"))
                .json("/api/v3/exchangeInfo", resource("exchanges/binance/exchangeinfo-own.json"))
                .json("/api/v3/ticker/price", resource("exchanges/binance/ticker-price-own.json"))
                .json("/api/v3/time", "{\"serverTime\":" + System.currentTimeMillis() + "}")
                .route("/sapi/v1/capital/deposit/hisrec", inWindow(
                        resource("exchanges/binance/sapi-capital-deposit-hisrec.txt"), "startTime", "endTime",
                        row -> ((Number) row.get("insertTime")).longValue()))
                .route("/sapi/v1/capital/withdraw/history", inWindow(
                        resource("exchanges/binance/sapi-capital-withdraw-history.txt"), "startTime", "endTime",
                        row -> java.time.LocalDateTime.parse((String) row.get("applyTime"), utc)
                                .toInstant(java.time.ZoneOffset.UTC).toEpochMilli()))
                .route("/sapi/v1/asset/assetDividend", call -> within(call, "startTime", "endTime", 1563189166000L)
                        ? resource("exchanges/binance/asset-dividend.json") : "{\"rows\":[],\"total\":0}")
                .route("/sapi/v1/asset/dribblet", call -> call.getUrl().queryParameter("startTime") == null
                        || Long.parseLong(call.getUrl().queryParameter("startTime")) <= 1639129045000L
                        ? resource("exchanges/binance/dustlog.json") : "{\"total\":0,\"userAssetDribblets\":[]}")
                // trades are paged by id from 0: the recorded page once, then nothing newer
                .route("/api/v3/myTrades", call -> "BTCUSDT".equals(call.getUrl().queryParameter("symbol"))
                        && "0".equals(call.getUrl().queryParameter("fromId"))
                        ? resource("exchanges/binance/mytrades-btcusdt-own.json") : "[]");
    }

    FakeExchange coinbase() {
        String btc = "2bbf394c-193b-5b2a-9155-3b4732659ede";
        String usd = "58542935-67b5-56e1-a3f9-42686e07fa40";
        String sol = "8d0c3c1e-5f7a-4b57-9a8e-0f4f9b3a2c11";
        String doge = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
        String emptyV2 = "{\"pagination\":{\"next_uri\":null},\"data\":[]}";
        return start("coinbase")
                .route("/api/v3/brokerage/accounts", call -> resource(call.getUrl().queryParameter("cursor") == null
                        ? "exchanges/coinbase/brokerage-accounts-page1-own.json"
                        : "exchanges/coinbase/brokerage-accounts-page2-own.json"))
                .json("/api/v3/brokerage/market/products", resource("exchanges/coinbase/market-products-own.json"))
                .json("/api/v3/brokerage/time", "{\"iso\":\"2024-03-01T00:00:28Z\",\"epochSeconds\":\"1709251228\","
                        + "\"epochMillis\":\"1709251228000\"}")
                .route("/api/v3/brokerage/orders/historical/fills", call -> resource(
                        call.getUrl().queryParameter("cursor") == null ? "exchanges/coinbase/fills-page1-own.json"
                                : "exchanges/coinbase/fills-page2-own.json"))
                .route("/v2/accounts/" + btc + "/transactions", call -> resource(
                        call.getUrl().queryParameter("starting_after") == null
                                ? "exchanges/coinbase/v2-transactions-btc-page1-own.json"
                                : "exchanges/coinbase/v2-account-transactions.txt"))
                .json("/v2/accounts/" + sol + "/transactions", resource("exchanges/coinbase/v2-transactions-sol-own.json"))
                .json("/v2/accounts/" + doge + "/transactions", emptyV2)
                .json("/v2/accounts/" + usd + "/transactions", emptyV2)
                .json("/v2/accounts/" + usd + "/deposits", resource("exchanges/coinbase/v2-account-deposits.txt"))
                .json("/v2/accounts/" + usd + "/withdrawals", resource("exchanges/coinbase/v2-account-withdrawals.txt"));
    }

    FakeExchange gateio() {
        return start("gateio")
                .json("/api/v4/spot/accounts", resource("exchanges/gateio/spot-accounts-own.json"))
                .json("/api/v4/spot/tickers", resource("exchanges/gateio/spot-tickers-own.json"))
                .json("/api/v4/spot/time", "{\"server_time\":" + System.currentTimeMillis() + "}")
                .route("/api/v4/spot/my_trades", gateWindow(resource("exchanges/gateio/my-trades-own.json"),
                        "create_time"))
                .route("/api/v4/wallet/deposits", gateWindow(resource("exchanges/gateio/wallet-deposits-own.json"),
                        "timestamp"))
                .route("/api/v4/wallet/withdrawals", gateWindow(
                        resource("exchanges/gateio/wallet-withdrawals-own.json"), "timestamp"));
    }

    FakeExchange htx() {
        String matches = resource("exchanges/htx/matchresults-own.json");
        return start("htx")
                .json("/v1/account/accounts", resource("exchanges/htx/accounts-own.json"))
                .json("/v1/account/accounts/10000001/balance", resource("exchanges/htx/balance-spot-own.json"))
                .json("/v1/account/accounts/10000002/balance", resource("exchanges/htx/balance-point-own.json"))
                .json("/v1/common/symbols", resource("exchanges/htx/symbols-own.json"))
                .json("/market/tickers", resource("exchanges/htx/tickers-own.json"))
                .json("/v1/common/timestamp", "{\"status\":\"ok\",\"data\":" + System.currentTimeMillis() + "}")
                .route("/v1/order/matchresults", call -> {
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> rows = (List<Map<String, Object>>) ((Map<String, Object>) json(matches))
                            .get("data");
                    List<Map<String, Object>> kept = rows.stream().filter(r -> within(call, "start-time",
                            "end-time", ((Number) r.get("created-at")).longValue())).toList();
                    return Json.moshi().adapter(Object.class).toJson(Map.of("status", "ok", "data", kept));
                })
                .route("/v1/query/deposit-withdraw", call -> resource(
                        "deposit".equals(call.getUrl().queryParameter("type"))
                                ? "exchanges/htx/deposits-own.json" : "exchanges/htx/withdrawals-own.json"));
    }

    FakeExchange start(String name) {
        FakeExchange server = new FakeExchange(name);
        servers.add(server);
        return server;
    }

    static boolean within(RecordedRequest call, String from, String to, long t) {
        String start = call.getUrl().queryParameter(from);
        String end = call.getUrl().queryParameter(to);
        return (start == null || Long.parseLong(start) <= t) && (end == null || t <= Long.parseLong(end));
    }

    /** Serves the rows of a JSON array whose time lies in the request's window. */
    static Function<RecordedRequest, String> inWindow(String body, String from, String to,
                                                      ToLongFunction<Map<String, Object>> time) {
        return call -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) json(body);
            return Json.moshi().adapter(Object.class).toJson(rows.stream()
                    .filter(r -> within(call, from, to, time.applyAsLong(r))).toList());
        };
    }

    /** Gate.io: a window in seconds ({@code from}, {@code to}); every page after the first is empty. */
    static Function<RecordedRequest, String> gateWindow(String body, String field) {
        Function<RecordedRequest, String> window = inWindow(body, "from", "to",
                r -> Long.parseLong((String) r.get(field)));
        return call -> {
            String page = call.getUrl().queryParameter("page");
            String offset = call.getUrl().queryParameter("offset");
            boolean later = page != null && !page.equals("1") || offset != null && !offset.equals("0");
            return later ? "[]" : window.apply(call);
        };
    }

    static Object json(String body) {
        try {
            return Json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return account -> [imported, status] from the sync summary table */
    static Map<String, String[]> summary(String out) {
        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^([\\w-]+)\\s+(\\d+)\\s+\\d+\\s+\\d+\\s+\\d+\\s+[\\d.]+s\\s+(\\w+)").matcher(out);
        while (m.find()) {
            rows.put(m.group(1), new String[] {m.group(2), m.group(3)});
        }
        return rows;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String resource(String name) {
        try (InputStream in = ShadedJarSyncIT.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // JKorf recordings: method, path and auth flag, then the body
            return name.endsWith(".txt") ? text.split("\\R", 4)[3] : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One exchange on a loopback port, answering by path; a call nobody recorded gets a 404 and is noted. */
    static final class FakeExchange implements AutoCloseable {
        final String name;
        private final MockWebServer server = new MockWebServer();
        private final Map<String, Function<RecordedRequest, String>> routes = new ConcurrentHashMap<>();
        private final Set<String> unrouted = ConcurrentHashMap.newKeySet();

        FakeExchange(String name) {
            this.name = name;
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String path = request.getUrl().encodedPath();
                    Function<RecordedRequest, String> route = routes.get(path);
                    if (route == null) {
                        unrouted.add(request.getMethod() + " " + path);
                        return new MockResponse.Builder().code(404).body("{\"error\":[\"EGeneral:Unknown method\"],"
                                + "\"code\":\"404\",\"msg\":\"no route " + path + "\"}").build();
                    }
                    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                            .body(route.apply(request)).build();
                }
            });
            try {
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String baseUrl() {
            String s = server.url("/").toString();
            return s.substring(0, s.length() - 1);
        }

        FakeExchange route(String path, Function<RecordedRequest, String> body) {
            routes.put(path, body);
            return this;
        }

        FakeExchange json(String path, String body) {
            return route(path, c -> body);
        }

        Set<String> unrouted() {
            return Set.copyOf(unrouted);
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
