package io.foliosync.connectors.crypto;

import static io.foliosync.connectors.crypto.FakeExchange.ok;
import static io.foliosync.connectors.crypto.FakeExchange.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.MalformedDataException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.http.RetryPolicy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowm.xchange.kraken.KrakenUtils;

class KrakenConnectorTest {
    static final byte[] SECRET_BYTES = "kraken-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    static final String SECRET = Base64.getEncoder().encodeToString(SECRET_BYTES);
    static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

    FakeExchange kraken;
    List<Duration> slept = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        KrakenUtils.clearAssets();
        kraken = new FakeExchange()
                .json("/0/private/Balance", resource("kraken/balance-own.json"))
                .json("/0/public/AssetPairs", resource("kraken/assetpairs-own.json"))
                .json("/0/public/Ticker", resource("kraken/ticker-own.json"))
                .json("/0/private/TradesHistory", resource("kraken/tradeshistory.json"))
                .json("/0/private/Ledgers", resource("kraken/ledgers.json"))
                .json("/0/private/DepositStatus", resource("kraken/depositstatus-own.json"))
                .json("/0/private/WithdrawStatus", resource("kraken/withdrawstatus-own.json"))
                .json("/0/public/Time", "{\"error\":[],\"result\":{\"unixtime\":1703980800,\"rfc1123\":\"Sun, 31 Dec 23 00:00:00 +0000\"}}");
    }

    @AfterEach
    void tearDown() {
        kraken.close();
        KrakenUtils.clearAssets();
    }

    CryptoExchangeConnector connector(ExchangeSettings... extra) {
        CryptoExchangeConnector.Builder b = CryptoExchangeConnector.builder()
                .exchange(settings())
                .rateLimiters(RateLimiterRegistry.isolated())
                .sleeper(slept::add)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
        for (ExchangeSettings e : extra) {
            b.exchange(e);
        }
        return b.build();
    }

    ExchangeSettings settings() {
        return ExchangeSettings.of(SupportedExchange.KRAKEN, "kraken-key", SECRET, Optional.empty())
                .withBaseUrl(kraken.baseUrl())
                .withDustThreshold(new BigDecimal("0.00001"))
                .withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1)));
    }

    @Test
    void holdingsNormalizeAssetCodesAndValueThroughIntermediatePairs() {
        try (CryptoExchangeConnector c = connector()) {
            assertThat(c.authenticate().success()).isTrue();
            Map<String, Holding> bySymbol = c.getHoldings().stream()
                    .collect(Collectors.toMap(h -> h.symbol() + h.attributes().getOrDefault("variant", ""), h -> h));

            assertThat(bySymbol).containsOnlyKeys("BTC", "ETH", "DOTS", "USD", "XTSTCUR");
            Holding btc = bySymbol.get("BTC");
            assertThat(btc.quantity()).isEqualByComparingTo("0.5");
            assertThat(btc.currentPrice()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("60000"));
            assertThat(btc.marketValue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("30000"));
            assertThat(btc.attributes()).containsEntry("raw_asset", "XXBT").containsEntry("valuation", "BTC/USD");
            assertThat(btc.assetClass()).isEqualTo(AssetClass.CRYPTO);

            Holding eth = bySymbol.get("ETH");
            assertThat(eth.currentPrice()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("3000"));
            assertThat(eth.attributes()).containsEntry("valuation", "ETH/BTC*BTC/USD");

            Holding dot = bySymbol.get("DOTS");
            assertThat(dot.symbol()).isEqualTo("DOT");
            assertThat(dot.attributes()).containsEntry("variant", "S").containsEntry("raw_asset", "DOT.S")
                    .containsEntry("valuation", "DOT/USDT*USDT/USD");
            assertThat(dot.marketValue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("50"));

            Holding usd = bySymbol.get("USD");
            assertThat(usd.assetClass()).isEqualTo(AssetClass.CASH);
            assertThat(usd.currentPrice()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("1"));

            Holding unknown = bySymbol.get("XTSTCUR");
            assertThat(unknown.currentPrice()).isEmpty();
            assertThat(unknown.marketValue()).isEmpty();
            assertThat(unknown.attributes()).containsEntry("valuation", "no market");
        }
    }

    @Test
    void tickersAreFetchedAtOnceAndCached() {
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            c.getHoldings();
            c.getHoldings();
            assertThat(kraken.calls("/0/public/Ticker")).hasSize(1);
            assertThat(kraken.calls("/0/public/Ticker").get(0).param("pair")).isNull();
            assertThat(kraken.calls("/0/public/AssetPairs")).hasSize(1);
        }
    }

    @Test
    void tradesMapPairsFeesAndLinkToLedgerLegs() {
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            List<Transaction> txs = c.getTransactions(TransactionQuery.all()).toList();
            List<Transaction> trades = txs.stream().filter(t -> t.type() == TransactionType.SELL).toList();
            assertThat(trades).hasSize(3);
            Transaction ltc = trades.stream().filter(t -> t.sourceId().orElseThrow().endsWith("-1")).findFirst()
                    .orElseThrow();
            assertThat(ltc.symbol()).contains("LTC");
            assertThat(ltc.currency()).isEqualTo("BTC");
            assertThat(ltc.quantity()).isEqualByComparingTo("0.5");
            assertThat(ltc.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("32.07562"));
            assertThat(ltc.fees()).isEqualByComparingTo("0.03208");
            assertThat(ltc.feeCurrency()).contains("BTC");
            assertThat(ltc.date()).isEqualTo(Instant.parse("2014-01-07T05:19:02.208900Z"));
            assertThat(ltc.attributes()).containsEntry("ledger_refid", "TY5BYV-WJUQF-XPYEYD-1")
                    .containsEntry("order_id", "ONRNOX-DVI4W-76DL6Q-1");

            // The ledger's two "trade" legs are those trades: never counted again.
            assertThat(txs).noneMatch(t -> t.rawType().orElse("").equals("trade"));
            assertThat(txs).hasSize(3 + 6);
        }
    }

    @Test
    void ledgerGivesDepositsWithdrawalsAndRewards() {
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            Map<String, Transaction> byId = c.getTransactions(TransactionQuery.all()).toList().stream()
                    .collect(Collectors.toMap(t -> t.sourceId().orElseThrow(), t -> t));

            Transaction deposit = byId.get("LQY6IE-WNT47-JRBOJV");
            assertThat(deposit.type()).isEqualTo(TransactionType.DEPOSIT);
            assertThat(deposit.symbol()).contains("BTC");
            assertThat(deposit.quantity()).isEqualByComparingTo("0.1");
            assertThat(deposit.attributes()).containsEntry("refid", "QGBJIZV-4F6SPK-ZCBT5O");

            Transaction withdrawal = byId.get("LWL3TV-BC7TE-EUZ5ZQ");
            assertThat(withdrawal.type()).isEqualTo(TransactionType.WITHDRAWAL);
            assertThat(withdrawal.symbol()).contains("LTC");
            assertThat(withdrawal.quantity()).isEqualByComparingTo("15.98573");
            assertThat(withdrawal.fees()).isEqualByComparingTo("0.02");
            assertThat(withdrawal.feeCurrency()).contains("LTC");

            Transaction staking = byId.get("LKEGD3-PO6FF-3CCK7Z");
            assertThat(staking.type()).isEqualTo(TransactionType.REWARD);
            assertThat(staking.symbol()).contains("XTZ");

            assertThat(byId.get("LDVXGZ-2FJSK-FJWOGJ").type()).isEqualTo(TransactionType.OTHER);
            assertThat(byId.get("LDVXGZ-2FJSK-FJWOGJ").rawType()).contains("adjustment");
        }
    }

    @Test
    void depositsAndWithdrawalsCarryTheNetworkTxIdFromFundingStatus() {
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            Map<String, Transaction> byId = c.getTransactions(TransactionQuery.all()).toList().stream()
                    .collect(Collectors.toMap(t -> t.sourceId().orElseThrow(), t -> t));
            assertThat(byId.get("LQY6IE-WNT47-JRBOJV").attributes()).containsEntry("network_tx_id",
                    "6544b41b607d8b2512baf801755a229b8f9f1a10a6b2d2b42eb6d2c4a9bd3f0e");
            assertThat(byId.get("LWL3TV-BC7TE-EUZ5ZQ").attributes()).containsEntry("network_tx_id",
                    "d0c1b8e3a5f4e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7");
            // A deposit whose refid DepositStatus does not list keeps no network tx id rather than a wrong one.
            assertThat(byId.get("LE6MUP-7QBUT-GSQYZY").attributes()).doesNotContainKey("network_tx_id");
        }
        // One status call each for the whole sync, not one per record.
        assertThat(kraken.calls("/0/private/DepositStatus")).hasSize(1);
        assertThat(kraken.calls("/0/private/WithdrawStatus")).hasSize(1);
    }

    @Test
    void aTransferBetweenTwoConnectedAccountsShowsTheSameNetworkTxIdOnBothSides() {
        // Kraken account 1 withdrew LTC to Kraken account 2 (as the ledger fixture's withdrawal and a deposit on
        // the second account): both records carry the chain's tx id, so import-core can pair them.
        try (FakeExchange second = new FakeExchange()) {
            second.json("/0/private/Balance", resource("kraken/balance-own.json"))
                    .json("/0/private/TradesHistory", "{\"error\":[],\"result\":{\"trades\":{},\"count\":0}}")
                    .json("/0/private/Ledgers", "{\"error\":[],\"result\":{\"ledger\":{\"L2DEP-00001-AAAAAA\":"
                            + "{\"refid\":\"FTQ2DEP-XYZ\",\"time\":1389075000.5,\"type\":\"deposit\",\"subtype\":\"\","
                            + "\"aclass\":\"currency\",\"asset\":\"XLTC\",\"amount\":\"15.9857300000\",\"fee\":\"0\","
                            + "\"balance\":\"15.98573\"}},\"count\":1}}")
                    .json("/0/private/DepositStatus", "{\"error\":[],\"result\":[{\"refid\":\"FTQ2DEP-XYZ\","
                            + "\"txid\":\"d0c1b8e3a5f4e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7\","
                            + "\"asset\":\"XLTC\",\"amount\":\"15.98573\",\"status\":\"Success\"}]}");
            ExchangeSettings other = ExchangeSettings.of(SupportedExchange.KRAKEN, "key-2", SECRET, Optional.empty())
                    .withAccountId("kraken-2").withBaseUrl(second.baseUrl())
                    .withRateLimit(new RateLimit(10_000, Duration.ofSeconds(1)));
            try (CryptoExchangeConnector c = connector(other)) {
                c.authenticate();
                List<Transaction> txs = c.getTransactions(TransactionQuery.all()).toList();
                Transaction out = txs.stream().filter(t -> t.sourceId().orElseThrow().equals("LWL3TV-BC7TE-EUZ5ZQ"))
                        .findFirst().orElseThrow();
                Transaction in = txs.stream().filter(t -> t.sourceId().orElseThrow().equals("L2DEP-00001-AAAAAA"))
                        .findFirst().orElseThrow();
                assertThat(out.accountId()).isEqualTo("kraken");
                assertThat(in.accountId()).isEqualTo("kraken-2");
                assertThat(in.attributes().get("network_tx_id")).isNotNull()
                        .isEqualTo(out.attributes().get("network_tx_id"));
            }
        }
    }

    @Test
    void fundingStatusRefusedKeepsTheLedgerWithoutTxIds() {
        kraken.json("/0/private/DepositStatus", "{\"error\":[\"EGeneral:Permission denied\"]}");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            List<Transaction> txs = c.getTransactions(TransactionQuery.all()).toList();
            assertThat(txs).hasSize(9);
            assertThat(txs).filteredOn(t -> t.type() == TransactionType.DEPOSIT)
                    .allMatch(t -> !t.attributes().containsKey("network_tx_id"));
        }
    }

    @Test
    void spendAndReceiveLegsBecomeOneBuyOrSell() {
        kraken.json("/0/private/TradesHistory", "{\"error\":[],\"result\":{\"trades\":{},\"count\":0}}");
        kraken.json("/0/private/Ledgers", resource("kraken/ledgers-spend-receive-own.json"));
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            Map<String, Transaction> byId = c.getTransactions(TransactionQuery.all()).toList().stream()
                    .collect(Collectors.toMap(t -> t.sourceId().orElseThrow(), t -> t));
            assertThat(byId).containsOnlyKeys("TSR1AB-CDEFG-HIJKLM", "TSR2AB-CDEFG-HIJKLM", "L4SPND-CCCCC-000005");

            Transaction buy = byId.get("TSR1AB-CDEFG-HIJKLM");
            assertThat(buy.type()).isEqualTo(TransactionType.BUY);
            assertThat(buy.symbol()).contains("BTC");
            assertThat(buy.quantity()).isEqualByComparingTo("0.015");
            assertThat(buy.amount()).isEqualByComparingTo("500");
            assertThat(buy.currency()).isEqualTo("EUR");
            assertThat(buy.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("33333.33333333333"));
            assertThat(buy.fees()).isEqualByComparingTo("7.45");
            assertThat(buy.feeCurrency()).contains("EUR");
            assertThat(buy.attributes()).containsEntry("spend_ledger_id", "L4SPND-AAAAA-000001")
                    .containsEntry("receive_ledger_id", "L4RCVE-AAAAA-000002");

            Transaction sell = byId.get("TSR2AB-CDEFG-HIJKLM");
            assertThat(sell.type()).isEqualTo(TransactionType.SELL);
            assertThat(sell.symbol()).contains("BTC");
            assertThat(sell.quantity()).isEqualByComparingTo("0.005");
            assertThat(sell.amount()).isEqualByComparingTo("170");
            assertThat(sell.fees()).isEqualByComparingTo("2.5");
            assertThat(sell.feeCurrency()).contains("EUR");

            // A leg without its partner in range stays visible, as OTHER with its raw type.
            assertThat(byId.get("L4SPND-CCCCC-000005").type()).isEqualTo(TransactionType.OTHER);
            assertThat(byId.get("L4SPND-CCCCC-000005").rawType()).contains("spend");
        }
    }

    @Test
    void spendAndReceiveLegsOnDifferentPagesArePaired() {
        kraken.json("/0/private/TradesHistory", "{\"error\":[],\"result\":{\"trades\":{},\"count\":0}}");
        String spend = "\"L4SPND-AAAAA-000001\":{\"amount\":\"-500\",\"asset\":\"ZEUR\",\"fee\":\"1\","
                + "\"refid\":\"TSR1\",\"time\":1700000000,\"type\":\"spend\"}";
        String receive = "\"L4RCVE-AAAAA-000002\":{\"amount\":\"0.01\",\"asset\":\"XXBT\",\"fee\":\"0\","
                + "\"refid\":\"TSR1\",\"time\":1700000000,\"type\":\"receive\"}";
        kraken.route("/0/private/Ledgers", call -> ok("{\"error\":[],\"result\":{\"ledger\":{"
                + ("0".equals(call.param("ofs")) ? receive : spend) + "},\"count\":2}}"));
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThat(c.getTransactions(TransactionQuery.all()).toList()).singleElement().satisfies(t -> {
                assertThat(t.type()).isEqualTo(TransactionType.BUY);
                assertThat(t.symbol()).contains("BTC");
                assertThat(t.amount()).isEqualByComparingTo("500");
            });
        }
        assertThat(kraken.calls("/0/private/Ledgers")).hasSize(2);
    }

    @Test
    void earnEntriesXChangeCannotParseAreKeptAsRewards() {
        kraken.json("/0/private/Ledgers", resource("kraken/ledgers-earn-own.json"));
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            Map<String, Transaction> byId = c.getTransactions(TransactionQuery.all()).toList().stream()
                    .filter(t -> t.sourceId().orElseThrow().startsWith("L"))
                    .collect(Collectors.toMap(t -> t.sourceId().orElseThrow(), t -> t));
            assertThat(byId).hasSize(3);
            Transaction reward = byId.get("L4UESK-KG3EQ-UFO4T5");
            assertThat(reward.type()).isEqualTo(TransactionType.REWARD);
            assertThat(reward.symbol()).contains("DOT");
            assertThat(reward.attributes()).containsEntry("variant", "S");
            assertThat(reward.quantity()).isEqualByComparingTo("0.01234");
            assertThat(byId.get("L5UESK-KG3EQ-UFO4T6").type()).isEqualTo(TransactionType.OTHER);
            assertThat(byId.get("L6UESK-KG3EQ-UFO4T7").rawType()).contains("somethingnew");
        }
    }

    @Test
    void tradesHistoryIsPagedWithOffsetsOfFiftyToTheLastPage() {
        int total = 120;
        kraken.route("/0/private/TradesHistory", call -> ok(tradesPage(Integer.parseInt(call.param("ofs")), total)));
        kraken.json("/0/private/Ledgers", "{\"error\":[],\"result\":{\"ledger\":{},\"count\":0}}");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            try (PagedResult<Transaction> result = c.getTransactions(TransactionQuery.all())) {
                List<Transaction> txs = result.toList();
                assertThat(txs).hasSize(total);
                assertThat(txs.stream().map(t -> t.sourceId().orElseThrow()).distinct()).hasSize(total);
            }
            assertThat(kraken.calls("/0/private/TradesHistory")).extracting(call -> call.param("ofs"))
                    .containsExactly("0", "50", "100");
        }
    }

    @Test
    void remainingTimeFollowsThePagesKrakenSaysAreLeft() {
        int total = 120;
        kraken.route("/0/private/TradesHistory", call -> ok(tradesPage(Integer.parseInt(call.param("ofs")), total)));
        kraken.json("/0/private/Ledgers", "{\"error\":[],\"result\":{\"ledger\":{},\"count\":0}}");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThat(c.remainingTime()).as("nothing read yet: unknown").isEmpty();
            try (PagedResult<Transaction> result = c.getTransactions(TransactionQuery.all())) {
                java.util.Iterator<io.foliosync.connectors.api.Page<Transaction>> pages = result.iterator();
                pages.next(); // offsets 0..49 of 120: two pages of TradesHistory left
                java.time.Duration afterFirst = c.remainingTime().orElseThrow();
                java.time.Duration twoPages = c.pacer("kraken").orElseThrow()
                        .estimate("POST /0/private/TradesHistory", 2);
                assertThat(afterFirst).isEqualTo(twoPages);
                while (pages.hasNext()) {
                    pages.next();
                }
                assertThat(c.remainingTime()).contains(java.time.Duration.ZERO);
            }
        }
    }

    @Test
    void incrementalSyncAsksOnlyForWhatIsNewAndCostsTwoCalls() {
        kraken.json("/0/private/TradesHistory", "{\"error\":[],\"result\":{\"trades\":{},\"count\":0}}");
        kraken.json("/0/private/Ledgers", "{\"error\":[],\"result\":{\"ledger\":{},\"count\":0}}");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            kraken.reset();
            Instant since = Instant.parse("2023-12-30T10:00:00Z");
            assertThat(c.getTransactions(TransactionQuery.since(since)).toList()).isEmpty();
            assertThat(kraken.calls()).hasSize(2);
            assertThat(kraken.calls("/0/private/TradesHistory").get(0).param("start"))
                    .isEqualTo(Long.toString(since.getEpochSecond() - 1));
            assertThat(kraken.calls("/0/private/Ledgers").get(0).param("start"))
                    .isEqualTo(Long.toString(since.getEpochSecond() - 1));
        }
    }

    @Test
    void sinceFiltersToTheHalfOpenRange() {
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            Instant since = Instant.parse("2014-01-07T05:19:02.2320Z");
            List<Transaction> txs = c.getTransactions(TransactionQuery.since(since)).toList();
            assertThat(txs).allMatch(t -> !t.date().isBefore(since));
            assertThat(txs).extracting(t -> t.sourceId().orElseThrow())
                    .contains("LDVXGZ-2FJSK-FJWOGJ").doesNotContain("LE6MUP-7QBUT-GSQYZY");
        }
    }

    @Test
    void ledgerRateLimitIsRetriedWithBackoff() {
        kraken.sequence("/0/private/Ledgers", "{\"error\":[\"EAPI:Rate limit exceeded\"]}",
                resource("kraken/ledgers.json"));
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThat(c.getTransactions(TransactionQuery.all()).toList()).hasSize(9);
            assertThat(kraken.calls("/0/private/Ledgers")).hasSize(2);
            assertThat(slept).isNotEmpty();
        }
    }

    @Test
    void xchangeCallsAreRetriedOnRateLimitToo() {
        kraken.sequence("/0/private/TradesHistory", "{\"error\":[\"EAPI:Rate limit exceeded\"]}",
                resource("kraken/tradeshistory.json"));
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThat(c.getTransactions(TransactionQuery.all()).toList()).hasSize(9);
            assertThat(kraken.calls("/0/private/TradesHistory")).hasSize(2);
            assertThat(slept).hasSize(1);
        }
    }

    @Test
    void http429OnOwnCallIsRetriedByOneLayerOnlyWithAFreshNoncePerAttempt() {
        kraken.route("/0/private/Ledgers", call -> new MockResponse.Builder().code(429).addHeader("Retry-After", "2")
                .body("{\"error\":[\"EAPI:Rate limit exceeded\"]}").build());
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOf(RateLimitException.class).hasMessageContaining("kraken");
        }
        List<FakeExchange.Call> ledgers = kraken.calls("/0/private/Ledgers");
        // maxAttempts is 3: three requests reach the server, not 3 × 3.
        assertThat(ledgers).hasSize(3);
        assertThat(ledgers).extracting(x -> x.param("nonce")).doesNotHaveDuplicates();
        assertThat(slept).hasSize(2).allMatch(d -> d.compareTo(Duration.ofSeconds(2)) >= 0);
    }

    @Test
    void http429OnXChangeCallIsRetriedByOneLayerOnly() {
        kraken.route("/0/private/TradesHistory", call -> new MockResponse.Builder().code(429)
                .body("{\"error\":[\"EAPI:Rate limit exceeded\"]}").build());
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOf(RateLimitException.class);
        }
        assertThat(kraken.calls("/0/private/TradesHistory")).hasSize(3);
    }

    @Test
    void http503IsRetriedAndSucceeds() {
        int[] n = {0};
        kraken.route("/0/private/Ledgers", call -> n[0]++ == 0 ? new MockResponse.Builder().code(503).body("busy")
                .build() : FakeExchange.ok(resource("kraken/ledgers.json")));
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThat(c.getTransactions(TransactionQuery.all()).toList()).hasSize(9);
        }
        assertThat(kraken.calls("/0/private/Ledgers")).hasSize(2);
    }

    @Test
    void retryAfterBeyondThePolicyCapIsNotWaitedOut() {
        kraken.route("/0/private/Ledgers", call -> new MockResponse.Builder().code(429)
                .addHeader("Retry-After", "3600").body("{\"error\":[]}").build());
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.retryAfter())
                            .contains(Duration.ofHours(1)));
        }
        assertThat(kraken.calls("/0/private/Ledgers")).hasSize(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void malformedLedgerEntryFailsNamingExchangeEndpointRecordAndField() {
        kraken.json("/0/private/Ledgers", "{\"error\":[],\"result\":{\"ledger\":{\"LBAD-1\":{\"refid\":\"x\","
                + "\"time\":1700000000,\"type\":\"deposit\",\"asset\":\"XXBT\",\"amount\":\"12abc\",\"fee\":\"0\"}},"
                + "\"count\":1}}");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOf(DataFetchException.class)
                    .hasMessageContaining("kraken")
                    .hasMessageContaining("POST /0/private/Ledgers")
                    .hasMessageContaining("LBAD-1")
                    .hasMessageContaining("amount");
        }
    }

    @Test
    void malformedXChangeResponseNamesExchangeAndEndpoint() {
        kraken.json("/0/private/TradesHistory", "{\"error\":[],\"result\":{\"trades\":[1,2,");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOf(DataFetchException.class)
                    .hasMessageContaining("kraken")
                    .hasMessageContaining("TradesHistory");
        }
    }

    @Test
    void ledgerRequestsAreSignedAsKrakenSpecifies() throws Exception {
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            c.getTransactions(TransactionQuery.all()).toList();
            FakeExchange.Call call = kraken.calls("/0/private/Ledgers").get(0);
            String body = call.raw().getBody().utf8();
            String nonce = call.param("nonce");
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((nonce + body).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(SECRET_BYTES, "HmacSHA512"));
            mac.update("/0/private/Ledgers".getBytes(StandardCharsets.UTF_8));
            String expected = Base64.getEncoder().encodeToString(mac.doFinal(sha));
            assertThat(call.raw().getHeaders().get("API-Sign")).isEqualTo(expected);
            assertThat(call.raw().getHeaders().get("API-Key")).isEqualTo("kraken-key");
            // One nonce source for XChange's calls and ours: strictly increasing.
            List<Long> nonces = new ArrayList<>();
            kraken.calls().stream().filter(x -> x.param("nonce") != null)
                    .forEach(x -> nonces.add(Long.parseLong(x.param("nonce"))));
            assertThat(nonces).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void badKeyFailsAuthenticateForThatExchangeOnly() {
        try (FakeExchange other = new FakeExchange()) {
            other.json("/0/private/Balance", "{\"error\":[\"EAPI:Invalid key\"]}");
            ExchangeSettings second = ExchangeSettings.of(SupportedExchange.KRAKEN, "bad-key", SECRET,
                    Optional.empty()).withAccountId("kraken-2").withBaseUrl(other.baseUrl());
            try (CryptoExchangeConnector c = connector(second)) {
                AuthenticationResult result = c.authenticate();
                assertThat(result.success()).isTrue();
                assertThat(result.message()).contains("kraken: ok").contains("kraken-2: failed");
                assertThat(c.authenticationReport().get("kraken-2")).contains("API key was refused")
                        .doesNotContain(SECRET);
                assertThat(c.getAccounts()).extracting(a -> a.accountId()).containsExactly("kraken");
            }
        }
    }

    @Test
    void invalidNonceNamesClockSkew() {
        kraken.json("/0/private/Balance", "{\"error\":[\"EAPI:Invalid nonce\"]}");
        try (CryptoExchangeConnector c = connector()) {
            AuthenticationResult result = c.authenticate();
            assertThat(result.success()).isFalse();
            assertThat(result.message()).contains("clock skew");
        }
    }

    @Test
    void healthCheckReportsServerTimeAndSkew() {
        try (CryptoExchangeConnector c = connector()) {
            HealthStatus h = c.healthCheck();
            // The fake server's clock is one day behind the fixed local clock.
            assertThat(h.healthy()).isFalse();
            assertThat(h.details()).containsEntry("kraken.server_time", "2023-12-31T00:00:00Z")
                    .containsEntry("kraken.skew_ms", Long.toString(Duration.ofDays(1).toMillis()));
            assertThat(h.message()).contains("sync this machine's clock");
        }
    }

    static String tradesPage(int offset, int total) {
        StringBuilder sb = new StringBuilder("{\"error\":[],\"result\":{\"trades\":{");
        int end = Math.min(total, offset + 50);
        for (int i = offset; i < end; i++) {
            if (i > offset) {
                sb.append(',');
            }
            long time = 1_700_000_000L - i * 60L;
            sb.append("\"T").append(String.format("%05d", i)).append("-AAAAA-BBBBBB\":{\"ordertxid\":\"O")
                    .append(i).append("\",\"pair\":\"XXBTZUSD\",\"time\":").append(time).append(".5,\"type\":\"")
                    .append(i % 2 == 0 ? "buy" : "sell").append("\",\"ordertype\":\"limit\",\"price\":\"40000.0\","
                            + "\"cost\":\"400.0\",\"fee\":\"0.64\",\"vol\":\"0.01000000\",\"margin\":\"0.0\","
                            + "\"misc\":\"\"}");
        }
        return sb.append("},\"count\":").append(total).append("}}").toString();
    }

    @Test
    void krakenDroppedConnectionIsRetriedByCallsOnlyThenNetworkException() {
        kraken.route("/0/private/Ledgers", call -> new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket()).build());
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOf(NetworkException.class)
                    .hasMessageContaining("kraken").hasMessageContaining("POST /0/private/Ledgers");
        }
        // One retry layer: the policy's 3 attempts, each signed with a fresh nonce. The first went out on the
        // connection authenticate() had used; a failure there before any answer is, to the client, the server having
        // closed a pooled connection, so that attempt was also resent once at once, unpaced and with its nonce
        // (issue 23 case 11). Only safe reads are resent, and Kraken refuses a nonce it has already seen.
        List<String> nonces = kraken.calls("/0/private/Ledgers").stream().map(x -> x.param("nonce")).toList();
        assertThat(nonces).hasSize(4);
        assertThat(nonces.get(1)).isEqualTo(nonces.get(0));
        assertThat(nonces.stream().distinct()).hasSize(3);
        assertThat(slept).hasSize(2);
    }

    @Test
    void krakenConnectionRefusedIsANetworkExceptionNamingTheExchange() {
        String closed;
        try (FakeExchange gone = new FakeExchange()) {
            closed = gone.baseUrl();
        }
        try (CryptoExchangeConnector c = connector(ExchangeSettings.of(SupportedExchange.KRAKEN, "kraken-key",
                SECRET, Optional.empty()).withAccountId("kraken-2").withBaseUrl(closed))) {
            AuthenticationResult result = c.authenticate();
            assertThat(c.authenticationReport().get("kraken-2")).contains("kraken-2")
                    .contains("POST /0/private/Balance").contains("network error");
            assertThat(result.success()).isTrue();
        }
    }

    @Test
    void krakenHttp500IsRetriedThenHttpStatusException() {
        kraken.route("/0/private/Ledgers", call -> new MockResponse.Builder().code(500).body("oops").build());
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status()).isEqualTo(500));
        }
        assertThat(kraken.calls("/0/private/Ledgers")).hasSize(3);
    }

    @Test
    void krakenHttp400IsAnHttpStatusExceptionAndNotRetried() {
        kraken.route("/0/private/Ledgers", call -> new MockResponse.Builder().code(400).body("bad request")
                .build());
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThat(kraken.calls("/0/private/Ledgers")).hasSize(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void krakenMalformedJsonIsMalformedDataExceptionAndNotRetried() {
        kraken.json("/0/private/Ledgers", "{\"error\":[],\"result\":{\"ledger\":");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isInstanceOf(MalformedDataException.class).hasMessageContaining("POST /0/private/Ledgers");
        }
        assertThat(kraken.calls("/0/private/Ledgers")).hasSize(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void krakenErrorXChangeDoesNotMapIsNotRetriedWhateverItsWording() {
        // The wording looks like a network failure; only types decide, so it is not retried.
        kraken.json("/0/private/TradesHistory", "{\"error\":[\"EGeneral:network error: Invalid arguments\"]}");
        try (CryptoExchangeConnector c = connector()) {
            c.authenticate();
            assertThatThrownBy(() -> c.getTransactions(TransactionQuery.all()).toList())
                    .isExactlyInstanceOf(DataFetchException.class)
                    .hasMessageContaining("EGeneral:network error: Invalid arguments");
        }
        assertThat(kraken.calls("/0/private/TradesHistory")).hasSize(1);
        assertThat(slept).isEmpty();
    }
}
