package io.foliosync.connectors.crypto;

import static io.foliosync.connectors.crypto.FakeExchange.ok;
import static io.foliosync.connectors.crypto.FakeExchange.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.http.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OkxConnectorTest {
    static final Instant NOW = Instant.parse("2024-03-01T00:00:00Z");
    static final String EMPTY = "{\"code\":\"0\",\"msg\":\"\",\"data\":[]}";

    FakeExchange okx;
    List<Duration> slept = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        okx = new FakeExchange()
                .json("/api/v5/account/balance", resource("okx/account-balance-own.json"))
                .json("/api/v5/asset/balances", resource("okx/v5-asset-balances.txt"))
                .json("/api/v5/market/tickers", resource("okx/market-tickers-own.json"))
                .json("/api/v5/trade/fills-history", resource("okx/v5-trade-fills.txt"))
                .json("/api/v5/asset/deposit-history", resource("okx/v5-asset-deposit-history.txt"))
                .json("/api/v5/asset/withdrawal-history", resource("okx/v5-asset-withdrawal-history.txt"))
                .json("/api/v5/asset/bills", resource("okx/asset-bills-own.json"))
                .json("/api/v5/public/time", "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"ts\":\"1709251199000\"}]}");
    }

    @AfterEach
    void tearDown() {
        okx.close();
    }

    CryptoExchangeConnector connector(String quote) {
        return CryptoExchangeConnector.builder()
                .exchange(ExchangeSettings.of(SupportedExchange.OKX, "okx-key", "okx-secret", Optional.of("pass"))
                        .withBaseUrl(okx.baseUrl()).withQuoteCurrency(quote)
                        .withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1))))
                .rateLimiters(RateLimiterRegistry.isolated())
                .sleeper(slept::add)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    @Test
    void holdingsCoverTradingAndFundingWalletsValuedThroughIntermediatePairs() {
        try (CryptoExchangeConnector c = connector("EUR")) {
            assertThat(c.authenticate().success()).isTrue();
            Map<String, Holding> byKey = c.getHoldings().stream().collect(Collectors.toMap(
                    h -> h.symbol() + "@" + h.attributes().get("wallet"), h -> h));
            assertThat(byKey).containsOnlyKeys("BTC@trading", "USDT@trading", "ETH@funding");
            // BTC → USDT → EUR: 60000 × 0.9
            assertThat(byKey.get("BTC@trading").currentPrice())
                    .hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("54000"));
            assertThat(byKey.get("BTC@trading").attributes()).containsEntry("valuation", "BTC/USDT*USDT/EUR");
            assertThat(byKey.get("USDT@trading").currentPrice())
                    .hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("0.9"));
            // ETH → BTC → (no BTC/EUR market, no path through USDT from ETH): nothing found directly,
            // so the price stays empty rather than zero.
            assertThat(byKey.get("ETH@funding").quantity()).isEqualByComparingTo("37.11827078");
            assertThat(byKey.get("ETH@funding").currentPrice()).isEmpty();
            assertThat(byKey.get("ETH@funding").marketValue()).isEmpty();
        }
        assertThat(okx.calls("/api/v5/market/tickers")).hasSize(1);
        assertThat(okx.calls("/api/v5/market/tickers").get(0).param("instType")).isEqualTo("SPOT");
    }

    @Test
    void fillsDepositsWithdrawalsAndRewardsAreRead() {
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            List<Transaction> txs = c.getTransactions(TransactionQuery.all()).toList();
            Map<TransactionType, List<Transaction>> byType = txs.stream()
                    .collect(Collectors.groupingBy(Transaction::type));

            Transaction buy = byType.get(TransactionType.BUY).get(0);
            assertThat(buy.symbol()).contains("BTC");
            assertThat(buy.currency()).isEqualTo("USDT");
            assertThat(buy.quantity()).isEqualByComparingTo("0.00192834");
            assertThat(buy.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("51858"));
            assertThat(buy.fees()).isEqualByComparingTo("0.00000192834");
            assertThat(buy.feeCurrency()).contains("BTC");
            assertThat(buy.sourceId()).contains("BTC-USDT/744876980");
            assertThat(buy.date()).isEqualTo(Instant.ofEpochMilli(1708587373361L));

            Transaction deposit = byType.get(TransactionType.DEPOSIT).get(0);
            assertThat(deposit.symbol()).contains("USDT");
            assertThat(deposit.quantity()).isEqualByComparingTo("1");
            assertThat(deposit.attributes()).containsEntry("network_tx_id",
                    "fee235b3e812********857d36bb0426917f0df1802").containsEntry("chain", "USDT-TRC20");

            Transaction withdrawal = byType.get(TransactionType.WITHDRAWAL).get(0);
            assertThat(withdrawal.fees()).isEqualByComparingTo("0.007");
            assertThat(withdrawal.feeCurrency()).contains("ETH");
            assertThat(withdrawal.attributes()).containsEntry("network_tx_id", "0x35c******b360a174d");

            Transaction reward = byType.get(TransactionType.REWARD).get(0);
            assertThat(reward.symbol()).contains("ETH");
            assertThat(reward.quantity()).isEqualByComparingTo("0.00125");

            // Bill type 1 (deposit) comes from deposit history with its tx id: not counted twice.
            assertThat(txs).noneMatch(t -> t.rawType().orElse("").equals("asset_bill/1"));
            assertThat(byType.get(TransactionType.OTHER)).extracting(t -> t.rawType().orElseThrow())
                    .containsExactly("asset_bill/131");
        }
    }

    @Test
    void fillsHistoryIsPagedWithAfterCursorsToTheLastPage() {
        okx.route("/api/v5/trade/fills-history", call -> ok(fillsPage(call.param("after"), 250)));
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            List<Transaction> fills = c.getTransactions(TransactionQuery.all()).toList().stream()
                    .filter(t -> t.type() == TransactionType.BUY).toList();
            assertThat(fills).hasSize(250);
        }
        assertThat(okx.calls("/api/v5/trade/fills-history")).extracting(x -> x.param("after"))
                .containsExactly(null, "1000150", "1000050");
    }

    @Test
    void incrementalSyncPassesSinceToEveryEndpoint() {
        okx.json("/api/v5/trade/fills-history", EMPTY).json("/api/v5/asset/deposit-history", EMPTY)
                .json("/api/v5/asset/withdrawal-history", EMPTY).json("/api/v5/asset/bills", EMPTY);
        Instant since = Instant.parse("2024-02-28T00:00:00Z");
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            okx.reset();
            assertThat(c.getTransactions(TransactionQuery.since(since)).toList()).isEmpty();
        }
        assertThat(okx.calls()).hasSize(4);
        assertThat(okx.calls("/api/v5/trade/fills-history").get(0).param("begin"))
                .isEqualTo(Long.toString(since.toEpochMilli()));
        // Funding history: since moved back by the overlap (pending transfers); still one call each.
        assertThat(okx.calls("/api/v5/asset/deposit-history").get(0).param("before"))
                .isEqualTo(Long.toString(since.minus(ExchangeSettings.DEFAULT_FUNDING_OVERLAP).toEpochMilli() - 1));
    }

    @Test
    void depositPendingWhenTheCursorMovedPastItIsImportedOnceCredited() {
        // Sync 1 (at NOW): a USDT deposit created at t1 is still waiting for confirmations (state 0); a fill at
        // t2 > t1 is imported, so the stored cursor becomes t2. Sync 2: the deposit, still dated t1, is credited.
        long t1 = Instant.parse("2024-02-25T10:00:00Z").toEpochMilli();
        long t2 = Instant.parse("2024-02-27T10:00:00Z").toEpochMilli();
        String[] state = {"0"};
        okx.route("/api/v5/asset/deposit-history", call -> {
            // Served as OKX does: only records with before < ts < after.
            boolean inRange = (call.param("before") == null || Long.parseLong(call.param("before")) < t1)
                    && Long.parseLong(call.param("after")) > t1;
            return ok(inRange ? "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"amt\":\"250\",\"ccy\":\"USDT\","
                    + "\"chain\":\"USDT-TRC20\",\"depId\":\"9001\",\"state\":\"" + state[0] + "\",\"ts\":\"" + t1
                    + "\",\"txId\":\"0xabc\"}]}" : EMPTY);
        });
        okx.route("/api/v5/trade/fills-history", call -> ok(call.param("begin") == null
                ? "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"side\":\"buy\",\"fillSz\":\"1\",\"fillPx\":\"2\","
                + "\"instId\":\"ETH-USDT\",\"billId\":\"5\",\"tradeId\":\"6\",\"ts\":\"" + t2 + "\"}]}" : EMPTY));
        okx.json("/api/v5/asset/withdrawal-history", EMPTY).json("/api/v5/asset/bills", EMPTY);

        Instant cursor;
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            List<Transaction> first = c.getTransactions(TransactionQuery.all()).toList();
            assertThat(first).extracting(Transaction::type).containsExactly(TransactionType.BUY);
            cursor = first.stream().map(Transaction::date).max(Instant::compareTo).orElseThrow();
        }
        assertThat(cursor).isEqualTo(Instant.ofEpochMilli(t2));

        state[0] = "2";
        okx.reset();
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            List<Transaction> second = c.getTransactions(TransactionQuery.since(cursor)).toList();
            assertThat(second).singleElement().satisfies(d -> {
                assertThat(d.type()).isEqualTo(TransactionType.DEPOSIT);
                assertThat(d.sourceId()).contains("9001");
                assertThat(d.date()).isEqualTo(Instant.ofEpochMilli(t1));
            });
        }
        // Funding history is re-read from 14 days (the default overlap) before the cursor; fills from the cursor.
        assertThat(okx.calls("/api/v5/asset/deposit-history").get(0).param("before"))
                .isEqualTo(Long.toString(cursor.minus(Duration.ofDays(14)).toEpochMilli() - 1));
        assertThat(okx.calls("/api/v5/trade/fills-history").get(0).param("begin"))
                .isEqualTo(Long.toString(cursor.toEpochMilli()));
    }

    @Test
    void withoutTheOverlapThePendingDepositWouldBeLost() {
        // The same two syncs with funding_overlap_days: 0 show what the overlap is for.
        long t1 = Instant.parse("2024-02-25T10:00:00Z").toEpochMilli();
        okx.route("/api/v5/asset/deposit-history", call -> ok(call.param("before") != null
                && Long.parseLong(call.param("before")) >= t1 ? EMPTY
                : "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"amt\":\"250\",\"ccy\":\"USDT\",\"depId\":\"9001\","
                + "\"state\":\"2\",\"ts\":\"" + t1 + "\"}]}"));
        okx.json("/api/v5/trade/fills-history", EMPTY).json("/api/v5/asset/withdrawal-history", EMPTY)
                .json("/api/v5/asset/bills", EMPTY);
        Instant cursor = Instant.parse("2024-02-27T10:00:00Z");
        try (CryptoExchangeConnector c = CryptoExchangeConnector.builder()
                .exchange(ExchangeSettings.of(SupportedExchange.OKX, "k", "s", Optional.of("p"))
                        .withBaseUrl(okx.baseUrl()).withFundingOverlap(Duration.ZERO)
                        .withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1))))
                .rateLimiters(RateLimiterRegistry.isolated()).sleeper(slept::add)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
            c.authenticate();
            assertThat(c.getTransactions(TransactionQuery.since(cursor)).toList()).isEmpty();
        }
    }

    @Test
    void code50011IsRetriedWithBackoff() {
        okx.sequence("/api/v5/asset/deposit-history",
                "{\"code\":\"50011\",\"msg\":\"Rate limit reached. Please refer to API documentation\",\"data\":[]}",
                resource("okx/v5-asset-deposit-history.txt"));
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            assertThat(c.getTransactions(TransactionQuery.all()).toList())
                    .anyMatch(t -> t.type() == TransactionType.DEPOSIT);
        }
        assertThat(okx.calls("/api/v5/asset/deposit-history")).hasSize(2);
        assertThat(slept).isNotEmpty();
    }

    @Test
    void http429IsRetriedAndThenBecomesRateLimitException() {
        okx.route("/api/v5/asset/withdrawal-history", call -> new mockwebserver3.MockResponse.Builder().code(429)
                .addHeader("Retry-After", "1").body("{\"code\":\"50011\",\"msg\":\"Too Many Requests\"}").build());
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOf(io.foliosync.connectors.api.RateLimitException.class)
                    .hasMessageContaining("okx");
        }
        // Exactly the policy's 3 attempts: only one layer retries (not 3 × 3 with the HTTP client's own).
        assertThat(okx.calls("/api/v5/asset/withdrawal-history")).hasSize(3);
        assertThat(slept).hasSize(2).allMatch(d -> d.compareTo(Duration.ofSeconds(1)) >= 0);
        // Every attempt is signed afresh.
        assertThat(okx.calls("/api/v5/asset/withdrawal-history")).allMatch(x -> x.raw().getHeaders()
                .get("OK-ACCESS-SIGN") != null);
    }

    @Test
    void malformedFillFailsNamingExchangeEndpointRecordAndField() {
        okx.json("/api/v5/trade/fills-history", "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"billId\":\"77\","
                + "\"instId\":\"BTC-USDT\",\"side\":\"buy\",\"fillSz\":\"x1\",\"fillPx\":\"1\",\"tradeId\":\"9\","
                + "\"ts\":\"1708587373362\"}]}");
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOf(DataFetchException.class)
                    .hasMessageContaining("okx").hasMessageContaining("GET /api/v5/trade/fills-history")
                    .hasMessageContaining("77").hasMessageContaining("fillSz");
        }
    }

    @Test
    void wrongPassphraseFailsAuthenticateWithAnActionableMessage() {
        okx.route("/api/v5/account/balance", call -> new mockwebserver3.MockResponse.Builder().code(401)
                .body("{\"code\":\"50105\",\"msg\":\"Invalid OK-ACCESS-PASSPHRASE\"}").build());
        try (CryptoExchangeConnector c = connector("USD")) {
            AuthenticationResult result = c.authenticate();
            assertThat(result.success()).isFalse();
            assertThat(c.authenticationReport().get("okx")).containsIgnoringCase("passphrase");
        }
    }

    @Test
    void ownRequestsAreSignedAsOkxSpecifies() throws Exception {
        try (CryptoExchangeConnector c = connector("USD")) {
            c.authenticate();
            c.getTransactions(TransactionQuery.all()).toList();
        }
        FakeExchange.Call call = okx.calls("/api/v5/asset/deposit-history").get(0);
        var h = call.raw().getHeaders();
        String prehash = h.get("OK-ACCESS-TIMESTAMP") + "GET" + call.raw().getTarget();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("okx-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(h.get("OK-ACCESS-SIGN")).isEqualTo(Base64.getEncoder().encodeToString(
                mac.doFinal(prehash.getBytes(StandardCharsets.UTF_8))));
        assertThat(h.get("OK-ACCESS-PASSPHRASE")).isEqualTo("pass");
        assertThat(h.get("OK-ACCESS-TIMESTAMP")).isEqualTo("2024-03-01T00:00:00.000Z");
    }

    /** Fills newest first, billIds counting down from 1000000 + total - 1; {@code after} returns older ones. */
    static String fillsPage(String after, int total) {
        long top = 1_000_000L + total - 1;
        long start = after == null ? top : Long.parseLong(after) - 1;
        StringBuilder sb = new StringBuilder("{\"code\":\"0\",\"msg\":\"\",\"data\":[");
        int n = 0;
        for (long bill = start; bill >= 1_000_000L && n < 100; bill--, n++) {
            if (n > 0) {
                sb.append(',');
            }
            sb.append("{\"side\":\"buy\",\"fillSz\":\"0.01\",\"fillPx\":\"50000\",\"fee\":\"-0.00001\","
                    + "\"feeCcy\":\"BTC\",\"instId\":\"BTC-USDT\",\"instType\":\"SPOT\",\"billId\":\"").append(bill)
                    .append("\",\"tradeId\":\"").append(bill + 5).append("\",\"ordId\":\"o").append(bill)
                    .append("\",\"fillTime\":\"").append(1_708_000_000_000L + bill).append("\",\"ts\":\"")
                    .append(1_708_000_000_000L + bill).append("\"}");
        }
        return sb.append("]}").toString();
    }
}
