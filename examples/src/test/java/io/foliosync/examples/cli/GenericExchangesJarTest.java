package io.foliosync.examples.cli;

import static io.foliosync.examples.cli.ShadedJar.count;
import static io.foliosync.examples.cli.ShadedJar.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exchanges the CLI reads as generic XChange accounts (Bitstamp, Bitfinex, Gemini, Bybit, KuCoin), synced
 * through the shaded jar as a process against loopback stand-ins serving recorded and documented responses:
 * balances, a paged trade history, funding history where the module has one, what could not be read said, and a
 * second sync importing nothing new.
 */
class GenericExchangesJarTest {
    /** Bitstamp serves 1,000 rows a page: 1,050 generated trades and 5 other rows take two pages. */
    static final int BITSTAMP_TRADES = 1050;
    /** More than the 500 a page the generic reader asks for: Bitfinex's trade history takes two pages. */
    static final int BITFINEX_TRADES = 620;
    /** A fill a minute for 1,100 minutes: over two pages of 500 in the 7-day window that holds most of them. */
    static final int KUCOIN_BUSY_TRADES = 1100;

    @TempDir
    Path dir;

    FakeGenericExchanges.Bitstamp bitstamp;
    FakeGenericExchanges.Bitfinex bitfinex;
    FakeGenericExchanges.Gemini gemini;
    FakeGenericExchanges.Bybit bybit;
    Path db;

    @BeforeEach
    void start() {
        bitstamp = new FakeGenericExchanges.Bitstamp(BITSTAMP_TRADES);
        bitfinex = new FakeGenericExchanges.Bitfinex(BITFINEX_TRADES);
        gemini = new FakeGenericExchanges.Gemini();
        bybit = new FakeGenericExchanges.Bybit();
        db = dir.resolve("foliosync.db");
    }

    @AfterEach
    void stop() {
        bitstamp.close();
        bitfinex.close();
        gemini.close();
        bybit.close();
    }

    private Path config() throws Exception {
        Path config = dir.resolve("generic.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                crypto_exchanges:
                  bitstamp:
                    api_key: %s
                    api_secret: %s
                    base_url: %s
                  my_bitfinex:
                    exchange: bitfinex
                    api_key: bitfinex-key
                    api_secret: bitfinex-secret
                    base_url: %s
                    load_remote_metadata: false
                  gemini:
                    api_key: gemini-key
                    api_secret: gemini-secret
                    base_url: %s
                  bybit:
                    api_key: bybit-key
                    api_secret: bybit-secret
                    base_url: %s
                """.formatted(db, dir.resolve("master.key"), FakeGenericExchanges.Bitstamp.KEY,
                FakeGenericExchanges.Bitstamp.SECRET, bitstamp.baseUrl(), bitfinex.baseUrl(), gemini.baseUrl(),
                bybit.baseUrl()));
        return config;
    }

    @Test
    void balancesPagedTradesAndFundingOfEachGenericExchangeThenAnIdempotentResync() throws Exception {
        Path config = config();

        Run first = ShadedJar.sync(config);

        assertThat(first.exit()).as(first.output()).isZero();
        for (String source : List.of("bitstamp", "my_bitfinex", "gemini", "bybit")) {
            assertThat(first.line(source)).as(first.output()).contains("succeeded");
        }

        // Bitstamp: one mixed list, read once: 1,050 + 1 recorded trades, a deposit, a withdrawal, a staking
        // reward in ALGO (an asset XChange does not list) and a type-33 row XChange 5.2.1 cannot read.
        assertThat(first.imported("bitstamp")).as(first.output()).isEqualTo(bitstamp.rows());
        assertThat(bitstamp.calls("POST /api/v2/user_transactions/")).as(bitstamp.requests.toString()).isEqualTo(2);
        assertThat(types("bitstamp")).containsEntry("DEPOSIT", 1L).containsEntry("WITHDRAWAL", 1L)
                .containsEntry("REWARD", 1L).containsEntry("OTHER", 1L)
                .containsEntry("BUY", 701L).containsEntry("SELL", 350L);
        assertThat(query(db, "SELECT symbol, quantity FROM transactions WHERE transaction_type = 'REWARD'"
                + " AND account_id LIKE '%bitstamp'")).singleElement()
                .satisfies(r -> assertThat(r.get("symbol")).isEqualTo("ALGO"));
        assertThat(first.output()).contains("Bitstamp transaction type 33");
        assertThat(holdingSymbols("bitstamp")).contains("BTC", "USD", "EUR", "XRP");

        // Bitfinex: every pair in one history, 500 a page oldest first, then the next page from the newest trade;
        // the completed ETH deposit of the recorded movements, the cancelled withdrawal left out.
        assertThat(types("my_bitfinex")).containsEntry("DEPOSIT", 1L).doesNotContainKey("WITHDRAWAL");
        assertThat(count(db, "SELECT COUNT(*) FROM transactions WHERE account_id LIKE '%my_bitfinex'"
                + " AND transaction_type IN ('BUY', 'SELL')")).isEqualTo(BITFINEX_TRADES);
        assertThat(bitfinex.calls("POST /v2/auth/r/trades/hist")).as(bitfinex.requests.toString()).isGreaterThan(2);
        assertThat(holdingSymbols("my_bitfinex")).contains("USD", "BTC");

        // Gemini: a pair per history: pairs derived from balances (USD, BTC) and transfers (ETH) among its symbols.
        assertThat(count(db, "SELECT COUNT(*) FROM transactions WHERE account_id LIKE '%gemini'"
                + " AND transaction_type IN ('BUY', 'SELL')")).isEqualTo(5);
        assertThat(types("gemini")).containsEntry("DEPOSIT", 1L).doesNotContainKey("WITHDRAWAL");
        assertThat(gemini.requests).noneMatch(r -> r.contains("solusd"));

        // Bybit: balances only; what the module cannot read is said, the sync still succeeds.
        // the recorded unified account holds 0 BTC: read, and no holding (zero balances are not holdings)
        assertThat(bybit.calls("GET /v5/account/wallet-balance")).as(bybit.requests.toString()).isPositive();
        assertThat(holdingSymbols("bybit")).isEmpty();
        assertThat(first.output()).contains("bybit").contains("trades: not available for bybit")
                .contains("deposits and withdrawals: not available for bybit");

        List<String> stored = ShadedJar.transactionRows(db);
        Run second = ShadedJar.sync(config);

        assertThat(second.exit()).as(second.output()).isZero();
        for (String source : List.of("bitstamp", "my_bitfinex", "gemini", "bybit")) {
            assertThat(second.imported(source)).as(second.output()).isZero();
        }
        assertThat(ShadedJar.transactionRows(db)).isEqualTo(stored);
    }

    /**
     * KuCoin answers at most 7 days of fills a call: the reader walks the history week by week from KuCoin's older
     * order history (before 2019-02-18) to now, each week paged to its end, and a second sync re-reads only the weeks
     * since the last one.
     */
    @Test
    void kucoinHistoryWalkedInSevenDayWindowsEachPagedToItsEndThenAnIdempotentResync() throws Exception {
        try (FakeGenericExchanges.Kucoin kucoin = new FakeGenericExchanges.Kucoin(KUCOIN_BUSY_TRADES)) {
            Path config = dir.resolve("kucoin.yaml");
            Files.writeString(config, """
                    global:
                      database_path: %s
                      master_key_file: %s
                    crypto_exchanges:
                      kucoin:
                        api_key: kucoin-key
                        api_secret: kucoin-secret
                        passphrase: %s
                        base_url: %s
                        # the fake answers at once: KuCoin's declared 30 calls per 10 s would make this test minutes
                        rate_limit_per_minute: 100000
                    """.formatted(db, dir.resolve("master.key"), FakeGenericExchanges.Kucoin.PASSPHRASE,
                    kucoin.baseUrl()));

            Run first = ShadedJar.sync(config);

            assertThat(first.exit()).as(first.output()).isZero();
            assertThat(first.line("kucoin")).as(first.output()).contains("succeeded");
            assertThat(kucoin.refused).as("spans KuCoin refuses").isEmpty();
            // 1,100 fills in one busy day (three pages of 500 in the week that holds most of them), five in a later
            // week, and the 2018 order of KuCoin's older history.
            assertThat(count(db, "SELECT COUNT(*) FROM transactions WHERE account_id LIKE '%kucoin'"
                    + " AND transaction_type IN ('BUY', 'SELL')")).isEqualTo(kucoin.trades());
            assertThat(kucoin.requests).anyMatch(r -> r.startsWith("GET /api/v1/fills") && r.contains("currentPage=3"));
            assertThat(kucoin.calls("GET /api/v1/hist-orders")).isEqualTo(1);
            // Every week from 2019-02-18 to now asked for, trades and funding alike.
            long weeks = java.time.Duration.between(java.time.Instant.parse("2019-02-17T16:00:00Z"),
                    java.time.Instant.now()).toDays() / 7;
            assertThat(kucoin.calls("GET /api/v1/fills")).isGreaterThan(weeks);
            assertThat(kucoin.calls("GET /api/v1/deposits")).isGreaterThan(weeks);
            // The completed deposit and withdrawal; the failed withdrawal left out.
            assertThat(types("kucoin")).containsEntry("DEPOSIT", 1L).containsEntry("WITHDRAWAL", 1L);
            assertThat(query(db, "SELECT symbol, quantity FROM transactions WHERE transaction_type = 'WITHDRAWAL'"
                    + " AND account_id LIKE '%kucoin'")).singleElement()
                    .satisfies(r -> assertThat(r.get("symbol")).isEqualTo("ETH"));
            // Balances of the trade and main accounts.
            assertThat(holdingSymbols("kucoin")).contains("BTC", "USDT", "ETH");
            assertThat(first.output()).doesNotContain(FakeGenericExchanges.Kucoin.PASSPHRASE)
                    .doesNotContain("kucoin-secret");

            List<String> stored = ShadedJar.transactionRows(db);
            long callsBefore = kucoin.requests.size();
            Run second = ShadedJar.sync(config);

            assertThat(second.exit()).as(second.output()).isZero();
            assertThat(second.imported("kucoin")).as(second.output()).isZero();
            assertThat(ShadedJar.transactionRows(db)).isEqualTo(stored);
            assertThat(kucoin.refused).isEmpty();
            // From the last sync on, not from 2019 again.
            assertThat(kucoin.requests.size() - callsBefore).as(kucoin.requests.subList((int) callsBefore,
                    kucoin.requests.size()).toString()).isLessThan(weeks);
        }
    }

    @Test
    void kucoinWithoutItsPassphraseFailsThatAccount() throws Exception {
        try (FakeGenericExchanges.Kucoin kucoin = new FakeGenericExchanges.Kucoin(10)) {
            Path config = dir.resolve("kucoin.yaml");
            Files.writeString(config, """
                    global:
                      database_path: %s
                      master_key_file: %s
                    crypto_exchanges:
                      kucoin:
                        api_key: kucoin-key
                        api_secret: kucoin-secret
                        passphrase: not-the-one
                        base_url: %s
                    """.formatted(db, dir.resolve("master.key"), kucoin.baseUrl()));

            Run run = ShadedJar.sync(config);

            assertThat(run.exit()).as(run.output()).isEqualTo(1);
            assertThat(run.line("kucoin")).as(run.output()).contains("failed");
            assertThat(run.output()).doesNotContain("not-the-one");
        }
    }

    @Test
    void exchangesListsFirstClassAndGenericExchangesAndWhatEachReads() throws Exception {
        Run run = ShadedJar.start(dir, "exchanges").await();

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("kraken").contains("first-class")
                .contains("bitstamp").contains("bitfinex").contains("gemini").contains("bybit").contains("kucoin")
                .contains("generic")
                .contains("Bitfinex declares 90 calls per 1 min");
    }

    @Test
    void anUnknownIdNamesTheModulesThatWouldProvideIt() throws Exception {
        Path config = dir.resolve("unknown.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                crypto_exchanges:
                  poloniex:
                    api_key: k
                    api_secret: s
                  bitstmp:
                    api_key: k
                    api_secret: s
                """.formatted(db, dir.resolve("master.key")));

        Run run = ShadedJar.sync(config);

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("org.knowm.xchange:xchange-poloniex:5.2.1")
                .contains("unknown exchange 'bitstmp'").contains("bitstamp (org.knowm.xchange:xchange-bitstamp:5.2.1");
    }

    @Test
    void aRefusedBitstampKeyFailsThatAccountNamingItsKeys() throws Exception {
        bitstamp.refuseSignatures = true;

        Run run = ShadedJar.sync(config());

        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.line("bitstamp")).contains("failed").contains("crypto_exchanges.bitstamp.api_key");
        assertThat(run.line("gemini")).contains("succeeded");
        assertThat(run.output()).doesNotContain(FakeGenericExchanges.Bitstamp.SECRET);
    }

    private Map<String, Long> types(String account) throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Map<String, Object> r : query(db, "SELECT transaction_type AS type, COUNT(*) AS n FROM transactions WHERE account_id LIKE '%"
                + account + "' GROUP BY transaction_type")) {
            out.put((String) r.get("type"), ((Number) r.get("n")).longValue());
        }
        return out;
    }

    private List<String> holdingSymbols(String account) throws Exception {
        return query(db, "SELECT DISTINCT symbol FROM holdings WHERE account_id LIKE '%" + account + "'").stream()
                .map(r -> (String) r.get("symbol")).toList();
    }
}
