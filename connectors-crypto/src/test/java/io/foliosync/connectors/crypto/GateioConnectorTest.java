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
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/** Gate.io v4 against own samples of the documented layouts (no recorded Gate.io responses exist here). */
class GateioConnectorTest {
    static final Instant NOW = Instant.parse("2024-03-01T00:00:30Z");

    FakeExchange gate;
    List<Duration> slept = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        gate = new FakeExchange()
                .json("/api/v4/spot/accounts", resource("gateio/spot-accounts-own.json"))
                .json("/api/v4/spot/tickers", resource("gateio/spot-tickers-own.json"))
                .json("/api/v4/spot/time", "{\"server_time\":1709251228000}")
                .route("/api/v4/spot/my_trades", inWindow(resource("gateio/my-trades-own.json"), "create_time"))
                .route("/api/v4/wallet/deposits", inWindow(resource("gateio/wallet-deposits-own.json"), "timestamp"))
                .route("/api/v4/wallet/withdrawals",
                        inWindow(resource("gateio/wallet-withdrawals-own.json"), "timestamp"));
    }

    @AfterEach
    void tearDown() {
        gate.close();
    }

    ExchangeSettings settings(String key) {
        return ExchangeSettings.of(SupportedExchange.GATEIO, key, "gate-secret", Optional.empty())
                .withBaseUrl(gate.baseUrl()).withQuoteCurrency("USDT")
                .withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1)));
    }

    CryptoExchangeConnector connector(ExchangeSettings... exchanges) {
        return FakeExchange.connector(NOW, slept, exchanges);
    }

    @Test
    void holdingsAreNormalizedAndValuedFromAllTickersInOneCall() {
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            assertThat(c.authenticate().success()).isTrue();
            List<Holding> holdings = c.getHoldings();
            Map<String, Holding> bySymbol = holdings.stream().collect(Collectors.toMap(Holding::symbol, h -> h));
            // DOGE is zero; ETH2 is Gate's staked ETH: ETH with variant ETH2.
            assertThat(bySymbol).containsOnlyKeys("BTC", "USDT", "GT", "ETH");
            assertThat(bySymbol.get("BTC").quantity()).isEqualByComparingTo("0.6");
            assertThat(bySymbol.get("BTC").currentPrice()).hasValueSatisfying(p ->
                    assertThat(p).isEqualByComparingTo("60000"));
            // GT has no USDT market here: through BTC, 0.0001 × 60000.
            assertThat(bySymbol.get("GT").currentPrice()).hasValueSatisfying(p ->
                    assertThat(p).isEqualByComparingTo("6"));
            assertThat(bySymbol.get("GT").attributes()).containsEntry("valuation", "GT/BTC*BTC/USDT");
            assertThat(bySymbol.get("ETH").attributes()).containsEntry("variant", "ETH2")
                    .containsEntry("raw_asset", "ETH2").containsEntry("valuation", "ETH/USDT");
        }
        assertThat(gate.calls("/api/v4/spot/tickers")).singleElement()
                .satisfies(x -> assertThat(x.params()).isEmpty());
    }

    @Test
    void fullSyncReadsThirtyDayWindowsAndPagesEachToTheLastPage() {
        Function<FakeExchange.Call, MockResponse> recorded = inWindow(resource("gateio/my-trades-own.json"),
                "create_time");
        long busy = Instant.parse("2013-05-10T00:00:00Z").getEpochSecond();
        // A full sync (no since) bounded by until, so that the test reads 13 windows rather than 136.
        Instant until = Instant.parse("2014-01-01T00:00:00Z");
        gate.route("/api/v4/spot/my_trades", call -> {
            if (between(call, busy)) {
                int page = Integer.parseInt(call.param("page"));
                return ok(generatedTrades(busy, page == 1 ? 1000 : page == 2 ? 3 : 0, page * 10_000));
            }
            return recorded.apply(call);
        });
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            c.authenticate();
            gate.reset();
            List<Transaction> txs = c.getTransactions(new TransactionQuery(Optional.empty(), Optional.empty(),
                    Optional.of(until))).toList();
            List<Transaction> trades = txs.stream()
                    .filter(t -> t.type() == TransactionType.BUY || t.type() == TransactionType.SELL).toList();
            assertThat(trades).hasSize(1000 + 3);
            assertThat(trades.stream().map(t -> t.sourceId().orElseThrow()).distinct()).hasSize(1003);
        }
        List<FakeExchange.Call> calls = gate.calls("/api/v4/spot/my_trades");
        assertThat(calls.get(0).param("from")).isEqualTo(Long.toString(Instant.parse("2013-01-01T00:00:00Z")
                .getEpochSecond()));
        assertThat(calls).allMatch(x -> Long.parseLong(x.param("to")) - Long.parseLong(x.param("from"))
                <= Duration.ofDays(30).toSeconds());
        assertThat(calls).filteredOn(x -> between(x, busy)).extracting(x -> x.param("page"))
                .containsExactly("1", "2");
        assertThat(calls).allMatch(x -> x.param("currency_pair") == null);
        assertThat(calls.get(calls.size() - 1).param("to")).isEqualTo(Long.toString(until.getEpochSecond()));
        assertThat(calls).hasSize(13 + 1);
    }

    @Test
    void tradesKeepPairFeesAndTheirFeeCurrency() {
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            c.authenticate();
            List<Transaction> txs = c.getTransactions(TransactionQuery.since(Instant.parse("2024-02-20T00:00:00Z")))
                    .toList();
            Transaction buy = txs.stream().filter(t -> t.type() == TransactionType.BUY).findFirst().orElseThrow();
            assertThat(buy.symbol()).contains("BTC");
            assertThat(buy.currency()).isEqualTo("USDT");
            assertThat(buy.amount()).isEqualByComparingTo("5100");
            assertThat(buy.fees()).isEqualByComparingTo("0.0002");
            assertThat(buy.feeCurrency()).contains("BTC");
            assertThat(buy.date()).isEqualTo(Instant.parse("2024-02-25T12:00:00.123456Z"));
            assertThat(buy.sourceId()).contains("BTC_USDT/2876130500");
            Transaction sell = txs.stream().filter(t -> t.type() == TransactionType.SELL).findFirst().orElseThrow();
            assertThat(sell.fees()).isEqualByComparingTo("0.01");
            assertThat(sell.feeCurrency()).contains("GT");
        }
    }

    @Test
    void incrementalSyncStartsAtSinceAndFundingAtTheOverlap() {
        Instant since = NOW.minus(Duration.ofDays(2));
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            c.authenticate();
            gate.reset();
            List<Transaction> txs = c.getTransactions(TransactionQuery.since(since)).toList();
            // The trades of 25 and 26 February are before since; the USDT deposit of 15 February lies in the
            // funding overlap (since − 14 days) and comes again, for import-core to skip as a duplicate.
            assertThat(txs).extracting(t -> t.sourceId().orElseThrow()).containsExactly("deposit/d1708000000",
                    "withdrawal/w1708500000");
        }
        assertThat(gate.calls()).hasSize(3);
        assertThat(gate.calls("/api/v4/spot/my_trades").get(0).param("from"))
                .isEqualTo(Long.toString(since.getEpochSecond()));
        assertThat(gate.calls("/api/v4/wallet/deposits").get(0).param("from"))
                .isEqualTo(Long.toString(since.minus(ExchangeSettings.DEFAULT_FUNDING_OVERLAP).getEpochSecond()));
    }

    @Test
    void depositsAndWithdrawalsCarryFeesAndNetworkTxIdsOnlyWhenDone() {
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            c.authenticate();
            List<Transaction> txs = c.getTransactions(TransactionQuery.since(Instant.parse("2024-01-01T00:00:00Z")))
                    .toList();
            assertThat(txs).filteredOn(t -> t.type() == TransactionType.DEPOSIT).singleElement().satisfies(d -> {
                assertThat(d.symbol()).contains("USDT");
                assertThat(d.quantity()).isEqualByComparingTo("1500");
                assertThat(d.attributes()).containsEntry("network_tx_id",
                        "0x9f1c2e11aa3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6");
            });
            // The cancelled USDT withdrawal is dropped, the pending BTC deposit waits for a later sync.
            assertThat(txs).filteredOn(t -> t.type() == TransactionType.WITHDRAWAL).singleElement().satisfies(w -> {
                assertThat(w.symbol()).contains("BTC");
                assertThat(w.fees()).isEqualByComparingTo("0.0005");
                assertThat(w.feeCurrency()).contains("BTC");
                assertThat(w.sourceId()).contains("withdrawal/w1708500000");
            });
        }
    }

    @Test
    void malformedTradeFailsNamingExchangeEndpointRecordAndField() {
        gate.json("/api/v4/spot/my_trades", "[{\"id\":\"77\",\"currency_pair\":\"BTC_USDT\",\"side\":\"buy\","
                + "\"amount\":\"abc\",\"price\":\"1\",\"create_time\":\"1709251000\"}]");
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofHours(1))))
                    .toList())
                    .isInstanceOf(DataFetchException.class)
                    .hasMessageContaining("gateio").hasMessageContaining("GET /api/v4/spot/my_trades")
                    .hasMessageContaining("BTC_USDT/77").hasMessageContaining("amount");
        }
    }

    @Test
    void badKeyFailsAuthenticateForThatAccountOnly() {
        String good = resource("gateio/spot-accounts-own.json");
        gate.route("/api/v4/spot/accounts", call -> "bad-key".equals(call.raw().getHeaders().get("KEY"))
                ? new MockResponse.Builder().code(401)
                        .body("{\"label\":\"INVALID_KEY\",\"message\":\"Invalid key provided\"}").build()
                : ok(good));
        try (CryptoExchangeConnector c = connector(settings("gate-key"),
                settings("bad-key").withAccountId("gate-second"))) {
            assertThat(c.authenticate().success()).isTrue();
            assertThat(c.authenticationReport()).containsEntry("gateio", "ok");
            assertThat(c.authenticationReport().get("gate-second")).contains("refused").contains("INVALID_KEY")
                    .doesNotContain("gate-secret");
            assertThat(c.getHoldings()).allMatch(h -> h.accountId().equals("gateio"));
        }
    }

    @Test
    void http429IsRetriedAfterRetryAfterAndSignedAgain() {
        String body = resource("gateio/spot-accounts-own.json");
        int[] n = {0};
        gate.route("/api/v4/spot/accounts", call -> n[0]++ == 0
                ? new MockResponse.Builder().code(429).addHeader("Retry-After", "3")
                        .body("{\"label\":\"TOO_MANY_REQUESTS\",\"message\":\"Request Rate limit Exceeded\"}").build()
                : ok(body));
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            assertThat(c.authenticate().success()).isTrue();
        }
        assertThat(gate.calls("/api/v4/spot/accounts")).hasSize(2);
        assertThat(slept).anyMatch(d -> d.compareTo(Duration.ofSeconds(3)) >= 0);
    }

    @Test
    void requestExpiredNamesClockSkew() {
        gate.route("/api/v4/spot/accounts", call -> new MockResponse.Builder().code(403)
                .body("{\"label\":\"REQUEST_EXPIRED\",\"message\":\"gap between request Timestamp and server time "
                        + "exceeds 60\"}").build());
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            assertThat(c.authenticate().success()).isFalse();
            assertThat(c.authenticationReport().get("gateio")).contains("clock skew").contains("REQUEST_EXPIRED");
        }
    }

    @Test
    void signedRequestsFollowTheV4Scheme() throws Exception {
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            c.authenticate();
            c.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofHours(1)))).toList();
        }
        FakeExchange.Call call = gate.calls("/api/v4/spot/my_trades").get(0);
        String ts = Long.toString(NOW.getEpochSecond());
        String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(new byte[0]));
        String text = "GET\n/api/v4/spot/my_trades\n" + call.raw().getUrl().encodedQuery() + "\n" + bodyHash + "\n" + ts;
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec("gate-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
        assertThat(call.raw().getHeaders().get("SIGN"))
                .isEqualTo(HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8))));
        assertThat(call.raw().getHeaders().get("Timestamp")).isEqualTo(ts);
        assertThat(call.raw().getHeaders().get("KEY")).isEqualTo("gate-key");
        assertThat(gate.calls("/api/v4/spot/tickers")).allMatch(x -> x.raw().getHeaders().get("SIGN") == null);
    }

    @Test
    void healthCheckReadsServerTime() {
        try (CryptoExchangeConnector c = connector(settings("gate-key"))) {
            assertThat(c.healthCheck("gateio").details()).containsEntry("server_time", "2024-03-01T00:00:28Z")
                    .containsEntry("skew_ms", "2000");
        }
    }

    static boolean between(FakeExchange.Call call, long seconds) {
        return Long.parseLong(call.param("from")) <= seconds && seconds <= Long.parseLong(call.param("to"));
    }

    static String generatedTrades(long time, int count, int firstId) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(Map.of("id", Integer.toString(firstId + i), "create_time", Long.toString(time),
                    "currency_pair", "ETH_USDT", "side", "buy", "amount", "0.01", "price", "200", "fee", "0.00002",
                    "fee_currency", "ETH"));
        }
        return Json.moshi().adapter(Object.class).toJson(rows);
    }

    /** Serves the rows whose {@code field} (epoch seconds) lies in the request's [from, to]; page 2 on is empty. */
    static Function<FakeExchange.Call, MockResponse> inWindow(String body, String field) {
        return call -> {
            try {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.readTree(body);
                boolean later = call.param("page") != null && !call.param("page").equals("1")
                        || call.param("offset") != null && !call.param("offset").equals("0");
                List<Map<String, Object>> kept = later ? List.of() : rows.stream()
                        .filter(r -> between(call, Long.parseLong((String) r.get(field)))).toList();
                return ok(Json.moshi().adapter(Object.class).toJson(kept));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
