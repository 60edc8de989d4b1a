package io.foliosync.connectors.crypto;

import static io.foliosync.connectors.crypto.FakeExchange.ok;
import static io.foliosync.connectors.crypto.FakeExchange.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.http.RetryPolicy;
import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BinanceConnectorTest {
    static final Instant NOW = Instant.parse("2024-03-01T00:00:30Z");
    static final DateTimeFormatter UTC_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    FakeExchange binance;
    List<Duration> slept = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        binance = new FakeExchange()
                .json("/api/v3/account", resource("binance/account-own.json"))
                .json("/api/v3/exchangeInfo", resource("binance/exchangeinfo-own.json"))
                .json("/api/v3/ticker/price", resource("binance/ticker-price-own.json"))
                .json("/api/v3/time", "{\"serverTime\":1709251199000}")
                .route("/sapi/v1/capital/deposit/hisrec", inWindow(resource("binance/sapi-capital-deposit-hisrec.txt"),
                        row -> ((Number) row.get("insertTime")).longValue()))
                .route("/sapi/v1/capital/withdraw/history", inWindow(
                        resource("binance/sapi-capital-withdraw-history.txt"), row -> LocalDateTime.parse(
                                (String) row.get("applyTime"), UTC_TEXT).toInstant(ZoneOffset.UTC).toEpochMilli()))
                .route("/sapi/v1/asset/assetDividend", call -> {
                    long t = 1563189166000L;
                    return ok(between(call, t) ? resource("binance/asset-dividend.json") : "{\"rows\":[],\"total\":0}");
                })
                .route("/sapi/v1/asset/dribblet", call -> ok(call.param("startTime") == null
                        || Long.parseLong(call.param("startTime")) <= 1639129045000L ? resource("binance/dustlog.json")
                        : "{\"total\":0,\"userAssetDribblets\":[]}"))
                .route("/api/v3/myTrades", call -> ok(call.param("symbol").equals("BTCUSDT")
                        && "0".equals(call.param("fromId")) ? resource("binance/mytrades-btcusdt-own.json") : "[]"));
    }

    @AfterEach
    void tearDown() {
        binance.close();
    }

    CryptoExchangeConnector connector(String quote) {
        return CryptoExchangeConnector.builder()
                .exchange(ExchangeSettings.of(SupportedExchange.BINANCE, "bn-key", "bn-secret", Optional.empty())
                        .withBaseUrl(binance.baseUrl()).withQuoteCurrency(quote)
                        .withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1))))
                .rateLimiters(RateLimiterRegistry.isolated())
                .sleeper(slept::add)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    @Test
    void holdingsAreValuedFromAllPricesInOneCall() {
        try (CryptoExchangeConnector c = connector("EUR")) {
            assertThat(c.authenticate().success()).isTrue();
            Map<String, Holding> bySymbol = c.getHoldings().stream()
                    .collect(Collectors.toMap(Holding::symbol, h -> h));
            assertThat(bySymbol).containsOnlyKeys("BTC", "ETH", "USDT");
            assertThat(bySymbol.get("BTC").quantity()).isEqualByComparingTo("0.3");
            // BTC → USDT → EUR through the inverse of EURUSDT: 60000 × (1 / 1.08), 16 significant digits
            assertThat(bySymbol.get("BTC").currentPrice()).hasValueSatisfying(p ->
                    assertThat(p).isEqualByComparingTo("55555.55555555555"));
            assertThat(bySymbol.get("BTC").attributes()).containsEntry("valuation", "BTC/USDT*1/EUR/USDT");
        }
        assertThat(binance.calls("/api/v3/ticker/price")).hasSize(1);
        assertThat(binance.calls("/api/v3/ticker/price").get(0).param("symbol")).isNull();
    }

    @Test
    void fullSyncDerivesMarketsFromTheAccountAndReadsEveryHistory() {
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            binance.reset();
            List<Transaction> txs = c.getTransactions(TransactionQuery.all()).toList();
            Map<String, List<Transaction>> byRaw = txs.stream()
                    .collect(Collectors.groupingBy(t -> t.rawType().orElseThrow()));

            // Deposits: the credited IOTA one; the pending BNB one (status 0) is not imported yet.
            assertThat(byRaw.get("deposit")).singleElement().satisfies(d -> {
                assertThat(d.symbol()).contains("IOTA");
                assertThat(d.quantity()).isEqualByComparingTo("0.5");
                assertThat(d.sourceId()).contains("deposit/769754833590042625");
                assertThat(d.attributes()).containsEntry("network_tx_id",
                        "ESBFVQUTPIWQNJSPXFNHNYHSQNTGKRVKPRABQWTAXCDWOAKDKYWPTVG9BGXNVNKTLEJGESAVXIKIZ9999");
            });
            assertThat(byRaw.get("withdrawal")).hasSize(2).anySatisfy(w -> {
                assertThat(w.symbol()).contains("USDT");
                assertThat(w.quantity()).isEqualByComparingTo("8.91");
                assertThat(w.fees()).isEqualByComparingTo("0.004");
                assertThat(w.date()).isEqualTo(Instant.parse("2019-10-12T11:12:02Z"));
                assertThat(w.attributes()).containsEntry("network_tx_id",
                        "0xb5ef8c13b968a406cc62a93a8bd80f9e9a906ef1b3fcf20a2e48573c17659268");
            });
            assertThat(byRaw.get("asset_dividend")).singleElement().satisfies(r -> {
                assertThat(r.type()).isEqualTo(TransactionType.REWARD);
                assertThat(r.symbol()).contains("BHFT");
                assertThat(r.quantity()).isEqualByComparingTo("10");
            });
            assertThat(byRaw.get("dust")).hasSize(28).anySatisfy(d -> {
                assertThat(d.type()).isEqualTo(TransactionType.SELL);
                assertThat(d.symbol()).contains("BUSD");
                assertThat(d.amount()).isEqualByComparingTo("0.00048483");
                assertThat(d.currency()).isEqualTo("BNB");
                assertThat(d.fees()).isEqualByComparingTo("0.00000969");
            });
            List<Transaction> trades = txs.stream().filter(t -> t.rawType().orElse("").matches("buy|sell")).toList();
            assertThat(trades).hasSize(2);
            Transaction sell = trades.stream().filter(t -> t.type() == TransactionType.SELL).findFirst().orElseThrow();
            assertThat(sell.symbol()).contains("BTC");
            assertThat(sell.currency()).isEqualTo("USDT");
            assertThat(sell.amount()).isEqualByComparingTo("3050");
            assertThat(sell.fees()).isEqualByComparingTo("0.015");
            assertThat(sell.feeCurrency()).contains("BNB");
            assertThat(sell.sourceId()).contains("BTCUSDT/28460");
        }
        // Markets: base among the account's assets (balances BTC ETH USDT; deposits BNB IOTA; withdrawals; dust
        // XRP SOL ...) and quote among them or a major quote. Not EURUSDT (no EUR), not DOGEBTC (DOGE is 0).
        assertThat(binance.calls("/api/v3/myTrades")).extracting(x -> x.param("symbol")).containsExactlyInAnyOrder(
                "BNBUSDT", "BTCUSDT", "ETHBTC", "ETHUSDT", "IOTAUSDT", "SOLEUR", "XRPUSDT");
        assertThat(binance.calls("/api/v3/myTrades")).allMatch(x -> "0".equals(x.param("fromId"))
                && x.param("startTime") == null);
        // Deposit history in 90-day windows from 2017-07-01: every window at most 90 days.
        assertThat(binance.calls("/sapi/v1/capital/deposit/hisrec")).hasSizeGreaterThan(20).allMatch(x ->
                Long.parseLong(x.param("endTime")) - Long.parseLong(x.param("startTime"))
                        < Duration.ofDays(90).toMillis());
    }

    @Test
    void incrementalSyncReadsTradesIn24HourWindowsFromSince() {
        Instant since = NOW.minus(Duration.ofHours(36));
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            binance.reset();
            assertThat(c.getTransactions(TransactionQuery.since(since)).toList())
                    .noneMatch(t -> t.date().isBefore(since.minus(ExchangeSettings.DEFAULT_FUNDING_OVERLAP)));
        }
        List<FakeExchange.Call> trades = binance.calls("/api/v3/myTrades");
        // Two windows (24 h + 12 h) per market; the markets come from balances only now (no old funding).
        assertThat(trades).extracting(x -> x.param("symbol")).containsOnly("BTCUSDT", "ETHBTC", "ETHUSDT");
        assertThat(trades).hasSize(6).allMatch(x -> Long.parseLong(x.param("endTime"))
                - Long.parseLong(x.param("startTime")) < Duration.ofHours(24).toMillis());
        assertThat(trades.get(0).param("startTime")).isEqualTo(Long.toString(since.toEpochMilli()));
        assertThat(binance.calls("/sapi/v1/asset/dribblet").get(0).param("startTime"))
                .isEqualTo(Long.toString(since.toEpochMilli()));
    }

    @Test
    void configuredMarketsAreReadEvenWithoutABalance() {
        binance.json("/api/v3/account", "{\"balances\":[]}");
        try (CryptoExchangeConnector c = CryptoExchangeConnector.builder()
                .exchange(ExchangeSettings.of(SupportedExchange.BINANCE, "k", "s", Optional.empty())
                        .withBaseUrl(binance.baseUrl()).withMarkets(List.of("dogebtc"))
                        .withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1))))
                .rateLimiters(RateLimiterRegistry.isolated()).sleeper(slept::add)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
            c.authenticate();
            c.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofHours(1)))).toList();
        }
        assertThat(binance.calls("/api/v3/myTrades")).extracting(x -> x.param("symbol")).containsExactly("DOGEBTC");
    }

    @Test
    void usedWeightHeaderNearTheBudgetMakesTheNextCallWaitForTheNextMinute() {
        binance.route("/api/v3/account", call -> new MockResponse.Builder().code(200)
                .addHeader("X-MBX-USED-WEIGHT-1M", "5990").body(resource("binance/account-own.json")).build());
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            assertThat(slept).isEmpty();
            c.getHoldings();   // exchangeInfo costs 20: 5990 + 20 passes the documented 6,000
        }
        // NOW is 30 s into its minute: wait the other 30 s. (The test clock never moves, so every call of
        // getHoldings that no longer fits this minute waits for the next one.)
        assertThat(slept).isNotEmpty().allMatch(d -> d.equals(Duration.ofSeconds(30)));
    }

    @Test
    void http429BacksOffThen418BanStopsEveryCallUntilItEnds() {
        int[] n = {0};
        binance.route("/api/v3/myTrades", call -> n[0]++ == 0
                ? new MockResponse.Builder().code(429).addHeader("Retry-After", "7")
                        .body("{\"code\":-1003,\"msg\":\"Too much request weight used\"}").build()
                : new MockResponse.Builder().code(418).addHeader("Retry-After", "600")
                        .body("{\"code\":-1003,\"msg\":\"Way too much request weight used; IP banned\"}").build());
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofHours(1))))
                    .toList())
                    .isInstanceOfSatisfying(RateLimitException.class, e -> {
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(600));
                        assertThat(e.getMessage()).contains("418").contains("binance");
                    });
            // The 429's Retry-After was waited out before the second attempt.
            assertThat(slept).anyMatch(d -> d.compareTo(Duration.ofSeconds(7)) >= 0);
            binance.reset();
            // While banned nothing reaches Binance, not even another endpoint.
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofHours(1))))
                    .toList()).isInstanceOf(RateLimitException.class).hasMessageContaining("banned");
            assertThat(binance.calls()).isEmpty();
        }
        assertThat(n[0]).isEqualTo(2);
    }

    @Test
    void timestampOutsideRecvWindowNamesClockSkew() {
        binance.route("/api/v3/account", call -> new MockResponse.Builder().code(400)
                .body("{\"code\":-1021,\"msg\":\"Timestamp for this request is outside of the recvWindow.\"}")
                .build());
        try (CryptoExchangeConnector c = connector("USD")) {
            AuthenticationResult result = c.authenticate();
            assertThat(result.success()).isFalse();
            assertThat(c.authenticationReport().get("binance")).contains("clock skew").contains("-1021");
        }
    }

    @Test
    void invalidKeyFailsAuthenticate() {
        binance.route("/api/v3/account", call -> new MockResponse.Builder().code(401)
                .body("{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}").build());
        try (CryptoExchangeConnector c = connector("USD")) {
            assertThat(c.authenticate().success()).isFalse();
            assertThat(c.authenticationReport().get("binance")).contains("refused").doesNotContain("bn-secret");
        }
    }

    @Test
    void signedRequestsCarryTimestampRecvWindowAndHexHmacSha256() throws Exception {
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
        }
        FakeExchange.Call call = binance.calls("/api/v3/account").get(0);
        String query = call.raw().getUrl().encodedQuery();
        String unsigned = query.substring(0, query.indexOf("&signature="));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("bn-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(call.param("signature")).isEqualTo(HexFormat.of().formatHex(
                mac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8))));
        assertThat(call.param("timestamp")).isEqualTo(Long.toString(NOW.toEpochMilli()));
        assertThat(call.param("recvWindow")).isEqualTo("5000");
        assertThat(call.raw().getHeaders().get("X-MBX-APIKEY")).isEqualTo("bn-key");
    }

    @Test
    void malformedTradeFailsNamingExchangeEndpointRecordAndField() {
        binance.route("/api/v3/myTrades", call -> ok(call.param("symbol").equals("BTCUSDT")
                ? "[{\"symbol\":\"BTCUSDT\",\"id\":77,\"price\":\"1\",\"qty\":\"abc\",\"time\":1704067200000,"
                + "\"isBuyer\":true}]" : "[]"));
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofHours(1))))
                    .toList())
                    .isInstanceOf(DataFetchException.class)
                    .hasMessageContaining("binance").hasMessageContaining("GET /api/v3/myTrades")
                    .hasMessageContaining("BTCUSDT/77").hasMessageContaining("qty");
        }
    }

    @Test
    void healthCheckReadsServerTimeThroughXChange() {
        try (CryptoExchangeConnector c = connector("USD")) {
            assertThat(c.healthCheck("binance").details()).containsEntry("server_time", "2024-02-29T23:59:59Z");
        }
        assertThat(binance.calls("/api/v3/time")).hasSize(1);
    }

    static boolean between(FakeExchange.Call call, long t) {
        return Long.parseLong(call.param("startTime")) <= t && t <= Long.parseLong(call.param("endTime"));
    }

    /** Serves the rows of a JSON array whose time lies in the request's [startTime, endTime]. */
    static Function<FakeExchange.Call, MockResponse> inWindow(String body, Function<Map<String, Object>, Long> time) {
        return call -> {
            try {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.readTree(body);
                List<Map<String, Object>> kept = rows.stream().filter(r -> between(call, time.apply(r))).toList();
                return ok(Json.moshi().adapter(Object.class).toJson(kept));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
