package io.foliosync.connectors.crypto;

import static io.foliosync.connectors.crypto.FakeExchange.ok;
import static io.foliosync.connectors.crypto.FakeExchange.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
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

/** HTX (Huobi) against own samples of the documented layouts (no recorded HTX responses exist here). */
class HtxConnectorTest {
    static final Instant NOW = Instant.parse("2024-03-01T00:00:30Z");
    static final String BAD_KEY = "{\"status\":\"error\",\"err-code\":\"api-signature-not-valid\",\"err-msg\":"
            + "\"Signature not valid: Incorrect Access key [Access key错误]\",\"data\":null}";

    FakeExchange htx;
    List<Duration> slept = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        htx = new FakeExchange()
                .json("/v1/account/accounts", resource("htx/accounts-own.json"))
                .json("/v1/account/accounts/10000001/balance", resource("htx/balance-spot-own.json"))
                .json("/v1/account/accounts/10000002/balance", resource("htx/balance-point-own.json"))
                .json("/v1/common/symbols", resource("htx/symbols-own.json"))
                .json("/market/tickers", resource("htx/tickers-own.json"))
                .json("/v1/common/timestamp", "{\"status\":\"ok\",\"data\":1709251228000}")
                .route("/v1/order/matchresults", inWindow(resource("htx/matchresults-own.json")))
                .route("/v1/query/deposit-withdraw", call -> ok(resource(call.param("type").equals("deposit")
                        ? "htx/deposits-own.json" : "htx/withdrawals-own.json")));
    }

    @AfterEach
    void tearDown() {
        htx.close();
    }

    ExchangeSettings settings(String key) {
        return ExchangeSettings.of(SupportedExchange.HTX, key, "htx-secret", Optional.empty())
                .withBaseUrl(htx.baseUrl()).withQuoteCurrency("USDT")
                .withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1)));
    }

    CryptoExchangeConnector connector(ExchangeSettings... exchanges) {
        return FakeExchange.connector(NOW, slept, exchanges);
    }

    @Test
    void holdingsOfEveryWorkingAccountAreNormalizedAndValuedFromAllTickers() {
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            assertThat(c.authenticate().success()).isTrue();
            Map<String, Holding> bySymbol = c.getHoldings().stream()
                    .collect(Collectors.toMap(Holding::symbol, h -> h));
            // Lower-case HTX codes upper-cased; ETH is zero; the USDT loan is margin debt, not a holding.
            assertThat(bySymbol).containsOnlyKeys("BTC", "USDT", "HT", "POINT");
            assertThat(bySymbol.get("BTC").quantity()).isEqualByComparingTo("0.6");
            assertThat(bySymbol.get("USDT").quantity()).isEqualByComparingTo("1000");
            assertThat(bySymbol.get("BTC").currentPrice()).hasValueSatisfying(p ->
                    assertThat(p).isEqualByComparingTo("60000"));
            // HT only trades against BTC here: 0.0000105 × 60000.
            assertThat(bySymbol.get("HT").currentPrice()).hasValueSatisfying(p ->
                    assertThat(p).isEqualByComparingTo("0.63"));
            assertThat(bySymbol.get("HT").attributes()).containsEntry("valuation", "HT/BTC*BTC/USDT")
                    .containsEntry("raw_asset", "ht").containsEntry("wallet", "spot");
            assertThat(bySymbol.get("POINT").currentPrice()).isEmpty();
            assertThat(bySymbol.get("POINT").attributes()).containsEntry("valuation", "no market")
                    .containsEntry("wallet", "point");
        }
        assertThat(htx.calls("/market/tickers")).hasSize(1);
        assertThat(htx.calls("/v1/common/symbols")).hasSize(1);
        // The locked margin account is not read.
        assertThat(htx.calls()).noneMatch(x -> x.path().contains("10000003"));
    }

    @Test
    void fullSyncReadsFortyEightHourWindowsOverOneHundredTwentyDaysAndPagesAFullWindow() {
        Function<FakeExchange.Call, MockResponse> recorded = inWindow(resource("htx/matchresults-own.json"));
        long busy = Instant.parse("2024-01-10T00:00:00Z").toEpochMilli();
        htx.route("/v1/order/matchresults", call -> {
            long start = Long.parseLong(call.param("start-time"));
            long end = Long.parseLong(call.param("end-time"));
            if (start <= busy && busy < end) {
                // A full window: 500 newest, then (end narrowed to the oldest of them) the 3 before.
                return ok(end > busy + 1 ? matches(busy + 500, 500, 10_000) : matches(busy - 10, 3, 20_000));
            }
            return recorded.apply(call);
        });
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            c.authenticate();
            htx.reset();
            List<Transaction> trades = c.getTransactions(TransactionQuery.all()).toList().stream()
                    .filter(t -> t.type() == TransactionType.BUY || t.type() == TransactionType.SELL).toList();
            assertThat(trades).hasSize(500 + 3 + 2);
        }
        List<FakeExchange.Call> calls = htx.calls("/v1/order/matchresults");
        assertThat(calls.get(0).param("start-time"))
                .isEqualTo(Long.toString(NOW.minus(Duration.ofDays(120)).toEpochMilli()));
        assertThat(calls).allMatch(x -> Long.parseLong(x.param("end-time")) - Long.parseLong(x.param("start-time"))
                <= Duration.ofHours(48).toMillis());
        assertThat(calls).anyMatch(x -> x.param("end-time").equals(Long.toString(busy + 1)));
        assertThat(calls.get(calls.size() - 1).param("end-time")).isEqualTo(Long.toString(NOW.toEpochMilli()));
        assertThat(calls).allMatch(x -> x.param("symbol") == null);
        assertThat(calls).hasSize(60 + 1);
    }

    @Test
    void tradesTakeBaseAndQuoteFromTheSymbolListAndFeesInTheirCurrency() {
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            c.authenticate();
            List<Transaction> txs = c.getTransactions(TransactionQuery.since(Instant.parse("2024-02-20T00:00:00Z")))
                    .toList();
            Transaction buy = txs.stream().filter(t -> t.type() == TransactionType.BUY).findFirst().orElseThrow();
            assertThat(buy.symbol()).contains("BTC");
            assertThat(buy.currency()).isEqualTo("USDT");
            assertThat(buy.amount()).isEqualByComparingTo("5100");
            assertThat(buy.fees()).isEqualByComparingTo("0.0002");
            assertThat(buy.feeCurrency()).contains("BTC");
            assertThat(buy.sourceId()).contains("btcusdt/29553");
            Transaction sell = txs.stream().filter(t -> t.type() == TransactionType.SELL).findFirst().orElseThrow();
            assertThat(sell.symbol()).contains("HT");
            assertThat(sell.currency()).isEqualTo("BTC");
            // Paid with HT deduction: the fee is the points, in HT.
            assertThat(sell.fees()).isEqualByComparingTo("0.5");
            assertThat(sell.feeCurrency()).contains("HT");
        }
    }

    @Test
    void incrementalSyncCostsOneCallPerHistory() {
        Instant since = NOW.minus(Duration.ofHours(1));
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            c.authenticate();
            htx.reset();
            List<Transaction> txs = c.getTransactions(TransactionQuery.since(since)).toList();
            // Only the withdrawal of 21 February lies in the funding overlap (since − 14 days).
            assertThat(txs).extracting(t -> t.sourceId().orElseThrow()).containsExactly("withdrawal/3001");
        }
        assertThat(htx.calls()).hasSize(3);
        assertThat(htx.calls("/v1/order/matchresults").get(0).param("start-time"))
                .isEqualTo(Long.toString(since.toEpochMilli()));
    }

    @Test
    void depositHistoryIsPagedFromTheSmallestIdToTheLastPage() {
        String older = resource("htx/deposits-own.json");
        htx.route("/v1/query/deposit-withdraw", call -> {
            if (call.param("type").equals("withdraw")) {
                return ok(resource("htx/withdrawals-own.json"));
            }
            return ok(call.param("from") == null ? deposits(10_500, 500) : older);
        });
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            c.authenticate();
            List<Transaction> deposits = c.getTransactions(TransactionQuery.since(Instant.parse("2024-02-01T00:00:00Z")))
                    .toList().stream()
                    .filter(t -> t.type() == TransactionType.DEPOSIT).toList();
            // 500 generated, then the safe USDT deposit; the BTC one is still confirming.
            assertThat(deposits).hasSize(501);
            assertThat(deposits).anySatisfy(d -> {
                assertThat(d.sourceId()).contains("deposit/2001");
                assertThat(d.attributes()).containsEntry("network_tx_id",
                        "9e4c1f0a7b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f");
            });
        }
        assertThat(htx.calls("/v1/query/deposit-withdraw")).filteredOn(x -> x.param("type").equals("deposit"))
                .extracting(x -> x.param("from")).containsExactly(null, "10000");
    }

    @Test
    void withdrawalsKeepFeeAndNetworkTxIdAndDropCancelledOnes() {
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            c.authenticate();
            assertThat(c.getTransactions(TransactionQuery.since(Instant.parse("2024-02-01T00:00:00Z"))).toList())
                    .filteredOn(t -> t.type() == TransactionType.WITHDRAWAL).singleElement().satisfies(w -> {
                        assertThat(w.symbol()).contains("BTC");
                        assertThat(w.quantity()).isEqualByComparingTo("0.05");
                        assertThat(w.fees()).isEqualByComparingTo("0.0004");
                        assertThat(w.attributes()).containsEntry("network_tx_id",
                                "4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091");
                    });
        }
    }

    @Test
    void malformedTradeFailsNamingExchangeEndpointRecordAndField() {
        htx.json("/v1/order/matchresults", "{\"status\":\"ok\",\"data\":[{\"id\":77,\"symbol\":\"btcusdt\","
                + "\"type\":\"buy-limit\",\"price\":\"1\",\"filled-amount\":\"abc\",\"created-at\":1709251000000}]}");
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofHours(1))))
                    .toList())
                    .isInstanceOf(DataFetchException.class)
                    .hasMessageContaining("htx").hasMessageContaining("GET /v1/order/matchresults")
                    .hasMessageContaining("btcusdt/77").hasMessageContaining("filled-amount");
        }
    }

    @Test
    void badKeyFailsAuthenticateForThatAccountOnly() {
        String good = resource("htx/accounts-own.json");
        htx.route("/v1/account/accounts", call -> ok("bad-key".equals(call.param("AccessKeyId")) ? BAD_KEY : good));
        try (CryptoExchangeConnector c = connector(settings("htx-key"), settings("bad-key").withAccountId("htx-2"))) {
            assertThat(c.authenticate().success()).isTrue();
            assertThat(c.authenticationReport()).containsEntry("htx", "ok");
            assertThat(c.authenticationReport().get("htx-2")).contains("refused")
                    .contains("api-signature-not-valid").doesNotContain("htx-secret");
        }
    }

    @Test
    void http429AndEnvelopeRateLimitAreRetried() {
        String body = resource("htx/accounts-own.json");
        int[] n = {0};
        htx.route("/v1/account/accounts", call -> switch (n[0]++) {
            case 0 -> new MockResponse.Builder().code(429).addHeader("Retry-After", "2").body("").build();
            case 1 -> ok("{\"status\":\"error\",\"err-code\":\"api-limit-exceeded\",\"err-msg\":\"too many request\"}");
            default -> ok(body);
        });
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            assertThat(c.authenticate().success()).isTrue();
        }
        assertThat(htx.calls("/v1/account/accounts")).hasSize(3);
        assertThat(slept).hasSize(2).anyMatch(d -> d.compareTo(Duration.ofSeconds(2)) >= 0);
        // Each attempt was signed again (the signature covers the timestamp; a fixed clock keeps it equal).
        assertThat(htx.calls("/v1/account/accounts")).allMatch(x -> x.param("Signature") != null);
    }

    @Test
    void expiredTimestampNamesClockSkew() {
        htx.json("/v1/account/accounts", "{\"status\":\"error\",\"err-code\":\"api-signature-not-valid\","
                + "\"err-msg\":\"Signature not valid: Timestamp expired\",\"data\":null}");
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            assertThat(c.authenticate().success()).isFalse();
            assertThat(c.authenticationReport().get("htx")).contains("clock skew");
        }
    }

    @Test
    void signatureCoversMethodHostPathAndTheSortedEncodedQuery() throws Exception {
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            c.authenticate();
            c.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofHours(1)))).toList();
        }
        FakeExchange.Call call = htx.calls("/v1/order/matchresults").get(0);
        String query = call.raw().getUrl().encodedQuery();
        String unsigned = query.substring(0, query.indexOf("&Signature="));
        List<String> names = new ArrayList<>();
        for (String pair : unsigned.split("&")) {
            names.add(pair.substring(0, pair.indexOf('=')));
        }
        assertThat(names).isSorted().contains("AccessKeyId", "SignatureMethod", "SignatureVersion", "Timestamp");
        assertThat(unsigned).contains("Timestamp=2024-03-01T00%3A00%3A30");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("htx-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(("GET\n" + call.raw().getUrl().host()
                + "\n/v1/order/matchresults\n" + unsigned).getBytes(StandardCharsets.UTF_8)));
        assertThat(call.param("Signature")).isEqualTo(expected);
        assertThat(htx.calls("/market/tickers")).allMatch(x -> x.param("Signature") == null);
    }

    @Test
    void healthCheckReadsServerTime() {
        try (CryptoExchangeConnector c = connector(settings("htx-key"))) {
            assertThat(c.healthCheck("htx").details()).containsEntry("server_time", "2024-03-01T00:00:28Z");
        }
    }

    static String matches(long newest, int count, int firstId) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", firstId + i);
            row.put("symbol", "ethusdt");
            row.put("type", "buy-market");
            row.put("price", "2500");
            row.put("filled-amount", "0.01");
            row.put("filled-fees", "0.00002");
            row.put("fee-currency", "eth");
            row.put("created-at", newest - i);
            rows.add(row);
        }
        return Json.moshi().adapter(Object.class).toJson(Map.of("status", "ok", "data", rows));
    }

    static String deposits(int firstId, int count) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(Map.of("id", firstId - i, "type", "deposit", "currency", "usdt", "amount", 10, "fee", 0,
                    "state", "safe", "created-at", NOW.minus(Duration.ofMinutes(i + 1)).toEpochMilli()));
        }
        return Json.moshi().adapter(Object.class).toJson(Map.of("status", "ok", "data", rows));
    }

    /** Serves the match results whose {@code created-at} lies in the request's [start-time, end-time]. */
    static Function<FakeExchange.Call, MockResponse> inWindow(String body) {
        return call -> {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> envelope = (Map<String, Object>) Json.readTree(body);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> rows = (List<Map<String, Object>>) envelope.get("data");
                long start = Long.parseLong(call.param("start-time"));
                long end = Long.parseLong(call.param("end-time"));
                List<Map<String, Object>> kept = rows.stream().filter(r -> {
                    long t = ((Number) r.get("created-at")).longValue();
                    return start <= t && t <= end;
                }).toList();
                return ok(Json.moshi().adapter(Object.class).toJson(Map.of("status", "ok", "data", kept)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
