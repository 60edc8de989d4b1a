package io.foliosync.connectors.crypto;

import static io.foliosync.connectors.crypto.FakeExchange.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.PagedResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Generic XChange accounts through {@link CryptoExchangeConnector}, against loopback stand-ins: Bitstamp's row types
 * the jar test does not cover, and retries decided by XChange's exception types in the module's one retry layer.
 * The shipped jar's end-to-end test is {@code GenericExchangesJarTest} in examples.
 */
class GenericExchangeConnectorTest {
    static final Instant NOW = Instant.parse("2024-07-01T00:00:00Z");

    final FakeExchange fake = new FakeExchange();
    final List<Duration> slept = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fake.close();
    }

    CryptoExchangeConnector connector(String exchange) {
        ExchangeSettings s = ExchangeSettings.generic(GenericExchange.byId(exchange).orElseThrow(), "key", "secret")
                .withBaseUrl(fake.baseUrl()).withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1)));
        return FakeExchange.connector(NOW, slept, s);
    }

    static final String BITSTAMP_BALANCE = "{\"btc_balance\": \"1.0\", \"btc_available\": \"1.0\", \"btc_reserved\": \"0\","
            + " \"usd_balance\": \"10.00\", \"usd_available\": \"10.00\", \"usd_reserved\": \"0\", \"fee\": \"0.5\"}";

    @Test
    void bitstampRowsOfEveryDocumentedTypeAndAnUnknownOneMovingTwoAssets() {
        fake.json("/api/v2/balance/", BITSTAMP_BALANCE)
                .json("/api/v2/user_transactions/", """
                        [{"id": 1, "datetime": "2024-01-01 00:00:00", "type": "14", "fee": "0", "usd": "100.0", "btc": "0"},
                         {"id": 2, "datetime": "2024-01-02 00:00:00.5", "type": "35", "fee": "0", "btc": "-0.1"},
                         {"id": 3, "datetime": "2024-01-03 00:00:00", "type": "32", "fee": "0", "usd": "5.00"},
                         {"id": 4, "datetime": "2024-01-04 00:00:00", "type": "26", "fee": "0", "eth": "-2.0"},
                         {"id": 5, "datetime": "2024-01-05 00:00:00", "type": "25", "fee": "0", "eth": "2.0"},
                         {"id": 6, "datetime": "2024-01-06 00:00:00", "type": "99", "fee": "0", "usd": "-3.0", "newcoin": "7"},
                         {"id": 7, "datetime": "2024-01-07 00:00:00", "type": "2", "fee": "0.10", "usd": "50.00",
                          "btc": "-0.001", "btc_usd": "-50000.00", "order_id": 77}]""");
        try (CryptoExchangeConnector c = connector("bitstamp")) {
            assertThat(c.authenticate().success()).isTrue();
            Map<String, Transaction> byId = read(c).stream()
                    .collect(Collectors.toMap(t -> t.sourceId().orElseThrow(), t -> t));

            assertThat(byId.get("user_transaction/1").type()).isEqualTo(TransactionType.TRANSFER_IN);
            assertThat(byId.get("user_transaction/1").symbol()).hasValue("USD");
            assertThat(byId.get("user_transaction/2").type()).isEqualTo(TransactionType.TRANSFER_OUT);
            assertThat(byId.get("user_transaction/2").date()).isEqualTo(Instant.parse("2024-01-02T00:00:00.500Z"));
            assertThat(byId.get("user_transaction/3").type()).isEqualTo(TransactionType.REWARD);
            assertThat(byId.get("user_transaction/4").type()).isEqualTo(TransactionType.OTHER);
            assertThat(byId.get("user_transaction/4").attributes()).containsEntry("direction", "out");
            assertThat(byId.get("user_transaction/5").attributes()).containsEntry("direction", "in");
            // an undocumented type moving two assets: one record per asset, an asset XChange does not list kept
            assertThat(byId).containsKeys("user_transaction/6/USD", "user_transaction/6/NEWCOIN");
            Transaction sell = byId.get("user_transaction/7");
            assertThat(sell.type()).isEqualTo(TransactionType.SELL);
            assertThat(sell.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("50000"));
            assertThat(sell.quantity()).isEqualByComparingTo("0.001");
            assertThat(sell.fees()).isEqualByComparingTo("0.10");
            assertThat(sell.feeCurrency()).hasValue("USD");
            assertThat(c.takeWarnings()).singleElement()
                    .satisfies(w -> assertThat(w.message()).contains("type 99"));
        }
        assertThat(fake.calls("/api/v2/user_transactions/")).singleElement()
                .satisfies(call -> assertThat(call.params()).containsEntry("sort", "asc").containsEntry("limit", "1000")
                        .containsEntry("offset", "0").doesNotContainKey("since_timestamp"));
    }

    @Test
    void bitstampAuthenticationCodesAreRefusalsNamingTheKeysNotRetried() {
        fake.json("/api/v2/balance/", BITSTAMP_BALANCE)
                .json("/api/v2/user_transactions/", "{\"status\": \"error\", \"reason\": \"Invalid signature\","
                        + " \"code\": \"API0005\"}");
        try (CryptoExchangeConnector c = connector("bitstamp")) {
            assertThat(c.authenticate().success()).isTrue();
            assertThatThrownBy(() -> read(c)).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("API0005").hasMessageContaining("crypto_exchanges.bitstamp.api_key");
        }
        assertThat(fake.calls("/api/v2/user_transactions/")).hasSize(1);
    }

    @Test
    void aRateLimitAnswerAndAnUnavailableExchangeAreRetriedByTypeInTheOneRetryLayer() {
        // XChange's Bitstamp module wraps the exchange's error (which carries rescu's HTTP status) in a plain
        // ExchangeException: the status is read from the cause, by type.
        AtomicInteger n = new AtomicInteger();
        fake.route("/api/v2/balance/", call -> switch (n.getAndIncrement()) {
            case 0 -> new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                    .body("{\"status\": \"error\", \"reason\": \"Too many requests\", \"code\": \"API0032\"}").build();
            case 1 -> new MockResponse.Builder().code(503).body("<html>maintenance</html>").build();
            default -> ok(BITSTAMP_BALANCE);
        });
        try (CryptoExchangeConnector c = connector("bitstamp")) {
            assertThat(c.authenticate().success()).as(c.authenticationReport().toString()).isTrue();
        }
        assertThat(fake.calls("/api/v2/balance/")).hasSize(3);
        assertThat(slept).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aRefusedKeyIsNotRetried() {
        fake.route("/api/v2/balance/", call -> new MockResponse.Builder().code(403)
                .addHeader("Content-Type", "application/json")
                .body("{\"status\": \"error\", \"reason\": \"Invalid signature\", \"code\": \"API0005\"}").build());
        try (CryptoExchangeConnector c = connector("bitstamp")) {
            assertThat(c.authenticate().success()).isFalse();
            assertThat(c.authenticationReport().get("bitstamp")).contains("crypto_exchanges.bitstamp.api_key");
        }
        assertThat(fake.calls("/api/v2/balance/")).hasSize(1);
    }

    @Test
    void aModulesOwnUntypedErrorIsReportedAsTheExchangesErrorNotRetried() {
        // Bitfinex's module throws its own RuntimeException, outside XChange's types and without the HTTP status.
        fake.route("/v1/balances", call -> new MockResponse.Builder().code(400)
                .addHeader("Content-Type", "application/json").body("{\"message\": \"Nonce is too small.\"}").build());
        try (CryptoExchangeConnector c = connector("bitfinex")) {
            assertThat(c.authenticate().success()).isFalse();
            assertThat(c.authenticationReport().get("bitfinex")).contains("the exchange answered with an error")
                    .contains("Nonce is too small");
        }
        assertThat(fake.calls("/v1/balances")).hasSize(1);
    }

    static String kucoinPage(List<String> items) {
        return "{\"code\": \"200000\", \"data\": {\"currentPage\": 1, \"pageSize\": 50, \"totalNum\": "
                + items.size() + ", \"totalPage\": 1, \"items\": [" + String.join(",", items) + "]}}";
    }

    /**
     * KuCoin answers 7 days of fills a call and one page of deposits of its default size: every week from the
     * module's move to fills up to now is asked for once, none longer, and a week holding a full page of deposits
     * is said (the module gives no way to its second page).
     */
    @Test
    void kucoinIsWalkedWeekByWeekToNowAndAWeekWithAFullPageOfDepositsIsSaid() {
        Instant busy = Instant.parse("2024-06-20T00:00:00Z");
        List<String> deposits = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            deposits.add(("{\"address\": \"a\", \"memo\": \"\", \"amount\": \"1\", \"fee\": \"0\","
                    + " \"currency\": \"USDT\", \"isInner\": false, \"walletTxId\": \"tx-%d\","
                    + " \"status\": \"SUCCESS\", \"createdAt\": %d, \"updatedAt\": %d}").formatted(i,
                    busy.plusSeconds(i).toEpochMilli(), busy.plusSeconds(i).toEpochMilli()));
        }
        List<long[]> spans = new CopyOnWriteArrayList<>();
        fake.json("/api/v1/accounts", "{\"code\": \"200000\", \"data\": [{\"id\": \"1\", \"currency\": \"USDT\","
                        + " \"type\": \"trade\", \"balance\": \"50\", \"available\": \"50\", \"holds\": \"0\"}]}")
                .route("/api/v1/fills", c -> {
                    spans.add(new long[] {Long.parseLong(c.params().get("startAt")),
                            Long.parseLong(c.params().get("endAt"))});
                    return ok(kucoinPage(List.of()));
                })
                .json("/api/v1/hist-orders", kucoinPage(List.of()))
                .json("/api/v1/withdrawals", kucoinPage(List.of()))
                .route("/api/v1/deposits", c -> {
                    long start = Long.parseLong(c.params().get("startAt"));
                    long end = Long.parseLong(c.params().get("endAt"));
                    boolean in = start <= busy.toEpochMilli() && busy.toEpochMilli() <= end;
                    return ok(kucoinPage(in ? deposits : List.of()));
                });
        ExchangeSettings s = ExchangeSettings.generic(GenericExchange.byId("kucoin").orElseThrow(), "key", "secret")
                .withBaseUrl(fake.baseUrl()).withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1)))
                .withGeneric(new ExchangeSettings.Generic(GenericExchange.byId("kucoin").orElseThrow(),
                        java.util.Optional.empty(), Map.of("passphrase",
                        io.foliosync.connectors.api.secrets.Secret.of("pass")), false));
        try (CryptoExchangeConnector c = FakeExchange.connector(NOW, slept, s)) {
            assertThat(c.authenticate().success()).isTrue();
            List<Transaction> read = read(c);

            assertThat(read).hasSize(50).allMatch(t -> t.type() == TransactionType.DEPOSIT);
            assertThat(c.takeWarnings()).anySatisfy(w -> assertThat(w.message())
                    .contains("50 deposits between").contains("more in that span may not have been read"));
        }
        // The probe for an all-pairs history, then the walk: contiguous weeks from 2019-02-17T16:00Z to now.
        List<long[]> walk = spans.subList(1, spans.size());
        assertThat(walk).allSatisfy(w -> assertThat(w[1] - w[0]).isLessThanOrEqualTo(Duration.ofDays(7).toMillis()));
        assertThat(walk.get(0)[0]).isEqualTo(Instant.parse("2019-02-17T16:00:00Z").toEpochMilli());
        assertThat(walk.get(walk.size() - 1)[1]).isEqualTo(NOW.toEpochMilli());
        for (int i = 1; i < walk.size(); i++) {
            assertThat(walk.get(i)[0]).isEqualTo(walk.get(i - 1)[1]);
        }
        assertThat(fake.calls("/api/v1/hist-orders")).hasSize(1);
        assertThat(fake.calls("/api/v1/fills").get(1).raw().getHeaders().get("KC-API-PASSPHRASE")).isEqualTo("pass");
    }

    private static List<Transaction> read(CryptoExchangeConnector c) {
        try (PagedResult<Transaction> r = c.getTransactions(TransactionQuery.all())) {
            return r.stream().toList();
        }
    }
}
