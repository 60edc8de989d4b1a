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
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coinbase: the App v2 lists are the MIT JKorf/Coinbase.Net recordings; Advanced Trade v3 (accounts, products,
 * fills) are own samples of the documented layouts.
 */
class CoinbaseConnectorTest {
    static final Instant NOW = Instant.parse("2024-03-01T00:00:30Z");
    static final String KEY_NAME = "organizations/org-own/apiKeys/key-own";
    static final String BTC = "2bbf394c-193b-5b2a-9155-3b4732659ede";
    static final String USD = "58542935-67b5-56e1-a3f9-42686e07fa40";
    static final String SOL = "8d0c3c1e-5f7a-4b57-9a8e-0f4f9b3a2c11";
    static final String DOGE = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
    static final String EMPTY_V2 = "{\"pagination\":{\"next_uri\":null},\"data\":[]}";

    static KeyPair keys;
    static String sec1Pem;

    FakeExchange coinbase;
    List<Duration> slept = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        keys = g.generateKeyPair();
        sec1Pem = "-----BEGIN EC PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(sec1(keys.getPrivate().getEncoded()))
                + "\n-----END EC PRIVATE KEY-----\n";
    }

    @BeforeEach
    void setUp() {
        coinbase = new FakeExchange()
                .route("/api/v3/brokerage/accounts", call -> ok(resource(call.param("cursor") == null
                        ? "coinbase/brokerage-accounts-page1-own.json" : "coinbase/brokerage-accounts-page2-own.json")))
                .json("/api/v3/brokerage/market/products", resource("coinbase/market-products-own.json"))
                .json("/api/v3/brokerage/time", "{\"iso\":\"2024-03-01T00:00:28Z\",\"epochSeconds\":\"1709251228\","
                        + "\"epochMillis\":\"1709251228000\"}")
                .route("/api/v3/brokerage/orders/historical/fills", call -> ok(resource(call.param("cursor") == null
                        ? "coinbase/fills-page1-own.json" : "coinbase/fills-page2-own.json")))
                .route("/v2/accounts/" + BTC + "/transactions", call -> ok(resource(call.param("starting_after") == null
                        ? "coinbase/v2-transactions-btc-page1-own.json" : "coinbase/v2-account-transactions.txt")))
                .json("/v2/accounts/" + SOL + "/transactions", resource("coinbase/v2-transactions-sol-own.json"))
                .json("/v2/accounts/" + DOGE + "/transactions", EMPTY_V2)
                .json("/v2/accounts/" + USD + "/transactions", EMPTY_V2)
                .json("/v2/accounts/" + USD + "/deposits", resource("coinbase/v2-account-deposits.txt"))
                .json("/v2/accounts/" + USD + "/withdrawals", resource("coinbase/v2-account-withdrawals.txt"));
    }

    @AfterEach
    void tearDown() {
        coinbase.close();
    }

    ExchangeSettings settings(String keyName, String pem) {
        return ExchangeSettings.of(SupportedExchange.COINBASE, keyName, pem, Optional.empty())
                .withBaseUrl(coinbase.baseUrl())
                .withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1)));
    }

    CryptoExchangeConnector connector(ExchangeSettings... exchanges) {
        return FakeExchange.connector(NOW, slept, exchanges);
    }

    CryptoExchangeConnector connector() {
        return connector(settings(KEY_NAME, sec1Pem));
    }

    @Test
    void holdingsOfEveryAccountPageAreValuedFromAllProductsInOneCall() {
        try (CryptoExchangeConnector c = connector()) {
            assertThat(c.authenticate().success()).isTrue();
            Map<String, Holding> bySymbol = c.getHoldings().stream()
                    .collect(Collectors.toMap(Holding::symbol, h -> h));
            assertThat(bySymbol).containsOnlyKeys("BTC", "USD", "SOL");
            assertThat(bySymbol.get("BTC").quantity()).isEqualByComparingTo("0.3");   // available + hold
            assertThat(bySymbol.get("SOL").currentPrice()).hasValueSatisfying(p ->
                    assertThat(p).isEqualByComparingTo("120"));
            assertThat(bySymbol.get("SOL").attributes()).containsEntry("valuation", "SOL/BTC*BTC/USD");
            assertThat(bySymbol.get("USD").attributes()).containsEntry("valuation", "identity");
        }
        // authenticate() and getHoldings() each read both pages.
        assertThat(coinbase.calls("/api/v3/brokerage/accounts")).extracting(x -> x.param("cursor"))
                .containsExactly(null, "c2-own", null, "c2-own");
        assertThat(coinbase.calls("/api/v3/brokerage/market/products")).singleElement().satisfies(x -> {
            assertThat(x.param("product_type")).isEqualTo("SPOT");
            assertThat(x.raw().getHeaders().get("Authorization")).isNull();
        });
    }

    @Test
    void everyRequestCarriesAnEs256JwtSignedWithTheCdpKeyAndBoundToThatRequest() throws Exception {
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
        }
        FakeExchange.Call call = coinbase.calls("/api/v3/brokerage/accounts").get(0);
        String auth = call.raw().getHeaders().get("Authorization");
        assertThat(auth).startsWith("Bearer ");
        String[] parts = auth.substring(7).split("\\.");
        Map<?, ?> header = (Map<?, ?>) Json.readTree(new String(Base64.getUrlDecoder().decode(parts[0]),
                StandardCharsets.UTF_8));
        Map<?, ?> payload = (Map<?, ?>) Json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8));
        assertThat(header.get("alg")).isEqualTo("ES256");
        assertThat(header.get("kid")).isEqualTo(KEY_NAME);
        assertThat((String) header.get("nonce")).hasSize(32);
        assertThat(payload.get("sub")).isEqualTo(KEY_NAME);
        assertThat(payload.get("iss")).isEqualTo("cdp");
        assertThat(payload.get("uri")).isEqualTo("GET " + call.raw().getUrl().host() + "/api/v3/brokerage/accounts");
        assertThat(((Number) payload.get("nbf")).longValue()).isEqualTo(NOW.getEpochSecond());
        assertThat(((Number) payload.get("exp")).longValue()).isEqualTo(NOW.getEpochSecond() + 120);
        Signature verify = Signature.getInstance("SHA256withECDSAinP1363Format");
        verify.initVerify(keys.getPublic());
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void aPkcs8KeyIsAcceptedAndAKeyThatIsNoEcPemFailsOnlyThatAccountNamingApiSecret() {
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\\n-----END PRIVATE KEY-----";
        try (CryptoExchangeConnector c = connector(settings(KEY_NAME, pkcs8),
                settings("legacy-key", "a-legacy-hmac-secret").withAccountId("coinbase-legacy"))) {
            assertThat(c.authenticate().success()).isTrue();
            assertThat(c.authenticationReport()).containsEntry("coinbase", "ok");
            assertThat(c.authenticationReport().get("coinbase-legacy"))
                    .contains("crypto_exchanges.coinbase-legacy.api_secret").contains("ECDSA")
                    .doesNotContain("a-legacy-hmac-secret");
        }
    }

    @Test
    void fillsArePagedByCursorToTheLastPageWithFeesInTheQuoteCurrency() {
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            List<Transaction> fills = c.getTransactions(TransactionQuery.all()).toList().stream()
                    .filter(t -> t.sourceId().orElse("").startsWith("fill/")).toList();
            assertThat(fills).hasSize(3);
            Transaction sell = fills.stream().filter(t -> t.type() == TransactionType.SELL).findFirst().orElseThrow();
            // size_in_quote: 340 USD at 3400 is 0.1 ETH.
            assertThat(sell.symbol()).contains("ETH");
            assertThat(sell.quantity()).isEqualByComparingTo("0.1");
            assertThat(sell.amount()).isEqualByComparingTo("340");
            assertThat(sell.fees()).isEqualByComparingTo("2.04");
            assertThat(sell.feeCurrency()).contains("USD");
            assertThat(sell.date()).isEqualTo(Instant.parse("2024-02-29T10:00:00.123Z"));
        }
        assertThat(coinbase.calls("/api/v3/brokerage/orders/historical/fills")).extracting(x -> x.param("cursor"))
                .containsExactly(null, "f2-own");
    }

    @Test
    void appV2RecordsMapSendsTransfersRewardsAndFiatMovementsWithFees() {
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            Map<String, Transaction> byId = c.getTransactions(TransactionQuery.all()).toList().stream()
                    .collect(Collectors.toMap(t -> t.sourceId().orElseThrow(), t -> t));
            // The recorded page: the pending buy and request are skipped until completed.
            assertThat(byId).doesNotContainKeys("v2/4117f7d6-5694-5b36-bc8f-847509850ea4",
                    "v2/005e55d1-f23a-5d1e-80a4-72943682c055", "v2/c2-own");
            assertThat(byId.get("v2/ff01bbc6-c4ad-59e1-9601-e87b5b709458")).satisfies(t -> {
                assertThat(t.type()).isEqualTo(TransactionType.TRANSFER_OUT);
                assertThat(t.quantity()).isEqualByComparingTo("5");
            });
            assertThat(byId.get("v2/57ffb4ae-0c59-5430-bcd3-3f98f797a66c")).satisfies(t -> {
                assertThat(t.type()).isEqualTo(TransactionType.WITHDRAWAL);
                assertThat(t.quantity()).isEqualByComparingTo("0.001");
                assertThat(t.date()).isEqualTo(Instant.parse("2015-03-11T20:13:35Z"));
                assertThat(t.attributes()).containsEntry("network", "bitcoin");
            });
            assertThat(byId.get("v2/c1-own")).satisfies(t -> {
                assertThat(t.type()).isEqualTo(TransactionType.DEPOSIT);
                assertThat(t.attributes()).containsEntry("network_tx_id",
                        "b7c1e3d2a4f5061728394a5b6c7d8e9f00112233445566778899aabbccddeeff");
            });
            assertThat(byId.get("v2/c3-own").fees()).isEqualByComparingTo("0.00002");
            assertThat(byId.get("v2/s1-own").type()).isEqualTo(TransactionType.REWARD);
            assertThat(byId.get("deposit/67e0eaec-07d7-54c4-a72c-2e92826897df")).satisfies(t -> {
                assertThat(t.type()).isEqualTo(TransactionType.DEPOSIT);
                assertThat(t.amount()).isEqualByComparingTo("10.00");
                assertThat(t.currency()).isEqualTo("USD");
                assertThat(t.fees()).isEqualByComparingTo("0");
            });
            assertThat(byId).containsKey("withdrawal/67e0eaec-07d7-54c4-a72c-2e92826897df");
        }
        // The BTC account's list read to its last page (the recording, next_uri null).
        assertThat(coinbase.calls("/v2/accounts/" + BTC + "/transactions")).extracting(x -> x.param("starting_after"))
                .containsExactly(null, "c3-own");
        // Deposits and withdrawals are read for the fiat account only.
        assertThat(coinbase.calls()).noneMatch(x -> x.path().endsWith("/deposits") && !x.path().contains(USD));
    }

    @Test
    void incrementalSyncStartsFillsAtSinceAndSkipsUnchangedAccountsAndOlderPages() {
        Instant since = Instant.parse("2024-02-28T00:00:00Z");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            coinbase.reset();
            List<Transaction> txs = c.getTransactions(TransactionQuery.since(since)).toList();
            assertThat(txs).extracting(t -> t.sourceId().orElseThrow())
                    .containsExactlyInAnyOrder("fill/e-own-1", "v2/c1-own");
        }
        assertThat(coinbase.calls("/api/v3/brokerage/orders/historical/fills").get(0)
                .param("start_sequence_timestamp")).isEqualTo("2024-02-28T00:00:00Z");
        // SOL and DOGE were not updated since the overlap began: not read. BTC: one page (it reaches c3, older).
        assertThat(coinbase.calls()).noneMatch(x -> x.path().contains(SOL) || x.path().contains(DOGE));
        assertThat(coinbase.calls("/v2/accounts/" + BTC + "/transactions")).hasSize(1);
    }

    @Test
    void malformedFillFailsNamingExchangeEndpointRecordAndField() {
        coinbase.json("/api/v3/brokerage/orders/historical/fills", "{\"fills\":[{\"entry_id\":\"e9\",\"product_id\":"
                + "\"BTC-USD\",\"side\":\"BUY\",\"price\":\"1\",\"size\":\"abc\",\"trade_time\":\"2024-02-29T00:00:00Z\"}],"
                + "\"cursor\":\"\"}");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofHours(1))))
                    .toList())
                    .isInstanceOf(DataFetchException.class)
                    .hasMessageContaining("coinbase").hasMessageContaining("GET /api/v3/brokerage/orders/historical/fills")
                    .hasMessageContaining("BTC-USD/e9").hasMessageContaining("size");
        }
    }

    @Test
    void refusedKeyFailsAuthenticateForThatAccountOnly() {
        String page1 = resource("coinbase/brokerage-accounts-page1-own.json");
        String page2 = resource("coinbase/brokerage-accounts-page2-own.json");
        coinbase.route("/api/v3/brokerage/accounts", call -> kid(call).contains("revoked")
                ? new MockResponse.Builder().code(401).body("{\"error\":\"UNAUTHENTICATED\",\"message\":"
                        + "\"invalid api key\"}").build()
                : ok(call.param("cursor") == null ? page1 : page2));
        try (CryptoExchangeConnector c = connector(settings(KEY_NAME, sec1Pem),
                settings("organizations/org-own/apiKeys/revoked", sec1Pem).withAccountId("coinbase-2"))) {
            assertThat(c.authenticate().success()).isTrue();
            assertThat(c.authenticationReport()).containsEntry("coinbase", "ok");
            assertThat(c.authenticationReport().get("coinbase-2")).contains("refused").contains("UNAUTHENTICATED");
        }
    }

    @Test
    void http429IsRetriedAfterRetryAfterWithAFreshJwt() {
        String page2 = resource("coinbase/brokerage-accounts-page2-own.json");
        String page1 = resource("coinbase/brokerage-accounts-page1-own.json");
        int[] n = {0};
        coinbase.route("/api/v3/brokerage/accounts", call -> n[0]++ == 0
                ? new MockResponse.Builder().code(429).addHeader("Retry-After", "4")
                        .body("{\"error\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"Too many requests\"}").build()
                : ok(call.param("cursor") == null ? page1 : page2));
        try (CryptoExchangeConnector c = connector()) {
            assertThat(c.authenticate().success()).isTrue();
        }
        List<FakeExchange.Call> calls = coinbase.calls("/api/v3/brokerage/accounts");
        assertThat(calls).hasSize(3);
        assertThat(slept).anyMatch(d -> d.compareTo(Duration.ofSeconds(4)) >= 0);
        assertThat(calls.get(0).raw().getHeaders().get("Authorization"))
                .isNotEqualTo(calls.get(1).raw().getHeaders().get("Authorization"));
    }

    @Test
    void expiredJwtNamesClockSkew() {
        coinbase.route("/api/v3/brokerage/accounts", call -> new MockResponse.Builder().code(401)
                .body("{\"error\":\"UNAUTHENTICATED\",\"message\":\"token is expired\"}").build());
        try (CryptoExchangeConnector c = connector()) {
            assertThat(c.authenticate().success()).isFalse();
            assertThat(c.authenticationReport().get("coinbase")).contains("clock skew");
        }
    }

    @Test
    void healthCheckReadsServerTime() {
        try (CryptoExchangeConnector c = connector()) {
            assertThat(c.healthCheck("coinbase").details()).containsEntry("server_time", "2024-03-01T00:00:28Z");
        }
    }

    static String kid(FakeExchange.Call call) {
        String jwt = call.raw().getHeaders().get("Authorization").substring(7);
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
    }

    /** The SEC1 key inside a JDK PKCS#8 EC encoding: the OCTET STRING after version and algorithm. */
    static byte[] sec1(byte[] pkcs8) {
        int i = (pkcs8[1] & 0x80) == 0 ? 2 : 2 + (pkcs8[1] & 0x7f);
        i += 3;                                  // INTEGER 0
        i += 2 + (pkcs8[i + 1] & 0xff);          // AlgorithmIdentifier
        int len = pkcs8[i + 1] & 0xff;
        int start = i + 2;
        if ((len & 0x80) != 0) {
            int n = len & 0x7f;
            len = 0;
            for (int k = 0; k < n; k++) {
                len = (len << 8) | (pkcs8[start + k] & 0xff);
            }
            start += n;
        }
        return Arrays.copyOfRange(pkcs8, start, start + len);
    }
}
