package io.foliosync.connectors.schwab;

import static io.foliosync.connectors.schwab.SchwabTestKit.HASH;
import static io.foliosync.connectors.schwab.SchwabTestKit.PLAIN_NUMBER;
import static io.foliosync.connectors.schwab.SchwabTestKit.accountNumbersJson;
import static io.foliosync.connectors.schwab.SchwabTestKit.accountsJson;
import static io.foliosync.connectors.schwab.SchwabTestKit.builder;
import static io.foliosync.connectors.schwab.SchwabTestKit.json;
import static io.foliosync.connectors.schwab.SchwabTestKit.resource;
import static io.foliosync.connectors.schwab.SchwabTestKit.status;
import static io.foliosync.connectors.schwab.SchwabTestKit.storeTokens;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchwabTraderApiTest {
    private static final Instant NOW = Instant.parse("2025-06-30T20:00:00Z");

    @TempDir
    Path dir;
    private final MockWebServer server = new MockWebServer();
    private final SchwabTestKit.MutableClock clock = new SchwabTestKit.MutableClock(NOW);
    private final List<HttpUrl> transactionRequests = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> hits = new ConcurrentHashMap<>();
    private volatile Function<HttpUrl, MockResponse> transactions = url -> json("[]");
    private volatile int accountNumbers429s;
    private volatile boolean accounts429;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                hits.merge(path, 1, Integer::sum);
                if (path.equals("/trader/v1/accounts/accountNumbers")) {
                    if (accountNumbers429s > 0) {
                        accountNumbers429s--;
                        return status(429, "{\"message\":\"too many\"}").newBuilder()
                                .setHeader("Retry-After", "2").build();
                    }
                    return json(accountNumbersJson());
                }
                if (path.equals("/trader/v1/accounts")) {
                    if (accounts429) {
                        return status(429, "{}").newBuilder().setHeader("Retry-After", "2").build();
                    }
                    return json(accountsJson());
                }
                if (path.equals("/trader/v1/accounts/" + HASH + "/transactions")) {
                    transactionRequests.add(request.getUrl());
                    return transactions.apply(request.getUrl());
                }
                return new MockResponse(404, Headers.of(), "");
            }
        });
        server.start();
        storeTokens(dir.resolve("tokens.enc"), "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SchwabConnector authenticated() {
        SchwabConnector schwab = builder(server, dir.resolve("tokens.enc"), clock).build();
        assertThat(schwab.authenticate().success()).isTrue();
        return schwab;
    }

    @Test
    void holdingsMapLongAndShortPositionsAndCashUnderTheAccountHash() {
        List<Holding> holdings = authenticated().getHoldings();

        assertThat(holdings).hasSize(11).allMatch(h -> h.accountId().equals(HASH));
        Holding longPut = holdings.stream().filter(h -> h.symbol().equals("META  250131P00510000")).findFirst()
                .orElseThrow();
        assertThat(longPut.quantity()).isEqualByComparingTo("1");
        assertThat(longPut.assetClass()).isEqualTo(AssetClass.OPTION);
        assertThat(longPut.marketValue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("44.5"));
        assertThat(longPut.currentPrice()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.445"));
        assertThat(longPut.costBasis()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("174.66"));
        assertThat(longPut.externalId()).contains("0META.MV50510000");
        assertThat(longPut.attributes()).containsEntry("underlyingSymbol", "META").containsEntry("putCall", "PUT");

        Holding shortPut = holdings.stream().filter(h -> h.symbol().equals("TSLA  250221P00340000")).findFirst()
                .orElseThrow();
        assertThat(shortPut.quantity()).isEqualByComparingTo("-1");
        assertThat(shortPut.marketValue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("-440"));
        assertThat(shortPut.currentPrice()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("4.40"));

        Holding cash = holdings.get(holdings.size() - 1);
        assertThat(cash.symbol()).isEqualTo("USD");
        assertThat(cash.assetClass()).isEqualTo(AssetClass.CASH);
        assertThat(cash.quantity()).isEqualByComparingTo("51420.89");
    }

    /** Issue 23 case 13: accounts and then holdings, as a sync asks for them, cost one positions call. */
    @Test
    void aSyncReadsThePositionsOnce() {
        SchwabConnector schwab = authenticated();
        int before = hits.getOrDefault("/trader/v1/accounts", 0);
        assertThat(schwab.getAccounts()).hasSize(1);
        assertThat(schwab.getHoldingsReport().holdings()).hasSize(11);
        assertThat(hits.getOrDefault("/trader/v1/accounts", 0) - before).isEqualTo(1);

        // a later read, past the short reuse, asks again: positions are never served stale
        clock.advance(Duration.ofMinutes(2));
        assertThat(schwab.getHoldings()).hasSize(11);
        assertThat(hits.getOrDefault("/trader/v1/accounts", 0) - before).isEqualTo(2);
    }

    @Test
    void accountsUseTheHashAndMaskThePlainNumber() {
        List<Account> accounts = authenticated().getAccounts();
        assertThat(accounts).singleElement().satisfies(a -> {
            assertThat(a.accountId()).isEqualTo(HASH);
            assertThat(a.type()).isEqualTo(AccountType.MARGIN);
            assertThat(a.name()).isEqualTo("Schwab MARGIN ****1111").doesNotContain(PLAIN_NUMBER);
            assertThat(a.balance()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("50946.39"));
        });
    }

    @Test
    void recordedTransactionsMapTradesByTheirTransferItemsWithFeesFromFeeItems() {
        transactions = url -> json(resource("api/trader-v1-transactions.json"));
        SchwabConnector schwab = authenticated();
        List<Transaction> txs = schwab.getTransactions(TransactionQuery.since(Instant.parse("2025-01-01T00:00:00Z")))
                .toList();

        assertThat(txs).hasSize(12).allMatch(t -> t.accountId().equals(HASH) && t.currency().equals("USD"));
        Transaction futuresOptionBuy = txs.stream().filter(t -> t.sourceId().orElseThrow().equals("90957056499"))
                .findFirst().orElseThrow();
        assertThat(futuresOptionBuy.type()).isEqualTo(TransactionType.BUY);
        assertThat(futuresOptionBuy.symbol()).contains("/ESH25_P5050:XCME");
        assertThat(futuresOptionBuy.quantity()).isEqualByComparingTo("1");
        assertThat(futuresOptionBuy.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("21"));
        assertThat(futuresOptionBuy.amount()).isEqualByComparingTo("-1050");
        assertThat(futuresOptionBuy.fees()).isEqualByComparingTo("2.82");
        assertThat(futuresOptionBuy.date()).isEqualTo(Instant.parse("2025-01-14T05:15:12Z"));
        assertThat(futuresOptionBuy.tradeDate()).isEqualTo(LocalDate.of(2025, 1, 14));

        Transaction sellToOpen = txs.stream().filter(t -> t.sourceId().orElseThrow().equals("90933359945"))
                .findFirst().orElseThrow();
        assertThat(sellToOpen.type()).isEqualTo(TransactionType.SELL);
        assertThat(sellToOpen.quantity()).isEqualByComparingTo("-1");
        assertThat(sellToOpen.amount()).isEqualByComparingTo("220");
        assertThat(sellToOpen.fees()).isEqualByComparingTo("0.67");
        assertThat(sellToOpen.attributes()).containsEntry("positionEffect", "OPENING");
        // net = amount - fees for every trade
        assertThat(txs).allSatisfy(t -> assertThat(t.rawType()).contains("TRADE"));
        assertThat(txs).extracting(Transaction::date).isSorted();
    }

    @Test
    void singleRecordedTransactionWithAPlainTradeDateMaps() {
        transactions = url -> json("[" + resource("api/trader-v1-transaction-single.json") + "]");
        List<Transaction> txs = authenticated()
                .getTransactions(TransactionQuery.since(Instant.parse("2025-01-01T00:00:00Z"))).toList();
        assertThat(txs).singleElement().satisfies(t -> {
            assertThat(t.type()).isEqualTo(TransactionType.SELL);
            assertThat(t.tradeDate()).isEqualTo(LocalDate.of(2025, 1, 17));
            assertThat(t.fees()).isEqualByComparingTo("0.95");
            assertThat(t.attributes()).containsEntry("orderId", "1002613435352");
        });
    }

    @Test
    void everyTransactionTypeMaps() {
        transactions = url -> json(resource("api/transactions-every-type.json"));
        List<Transaction> txs = authenticated()
                .getTransactions(TransactionQuery.since(Instant.parse("2025-03-01T00:00:00Z"))).toList();
        Map<String, TransactionType> byId = txs.stream()
                .collect(Collectors.toMap(t -> t.sourceId().orElseThrow(), Transaction::type));
        assertThat(byId).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("1001", TransactionType.BUY),
                Map.entry("1002", TransactionType.SELL),
                Map.entry("1003", TransactionType.DIVIDEND),
                Map.entry("1004", TransactionType.INTEREST),
                Map.entry("1005", TransactionType.DEPOSIT),
                Map.entry("1006", TransactionType.WITHDRAWAL),
                Map.entry("1007", TransactionType.DEPOSIT),
                Map.entry("1008", TransactionType.WITHDRAWAL),
                Map.entry("1009", TransactionType.DEPOSIT),
                Map.entry("1010", TransactionType.WITHDRAWAL),
                Map.entry("1011", TransactionType.DEPOSIT),
                Map.entry("1012", TransactionType.WITHDRAWAL),
                Map.entry("1013", TransactionType.TRANSFER_IN),
                Map.entry("1014", TransactionType.TRANSFER_OUT),
                Map.entry("1015", TransactionType.TRANSFER_IN),
                Map.entry("1016", TransactionType.TRANSFER_OUT),
                Map.entry("1017", TransactionType.FEE),
                Map.entry("1018", TransactionType.TAX),
                Map.entry("1019", TransactionType.OTHER),
                Map.entry("1020", TransactionType.FEE)));
        Transaction buy = txs.stream().filter(t -> t.sourceId().orElseThrow().equals("1001")).findFirst().orElseThrow();
        assertThat(buy.fees()).isEqualByComparingTo("0.65");
        assertThat(buy.amount()).isEqualByComparingTo("-1500");
        Transaction transferIn = txs.stream().filter(t -> t.sourceId().orElseThrow().equals("1015")).findFirst()
                .orElseThrow();
        assertThat(transferIn.symbol()).contains("SWTSX");
        assertThat(transferIn.quantity()).isEqualByComparingTo("20");
        Transaction withdrawal = txs.stream().filter(t -> t.sourceId().orElseThrow().equals("1006")).findFirst()
                .orElseThrow();
        assertThat(withdrawal.fees()).isEqualByComparingTo("0");
        assertThat(withdrawal.amount()).isEqualByComparingTo("-250");
        assertThat(txs).allMatch(t -> t.rawType().isPresent());
    }

    @Test
    void rangeIsSplitIntoContiguousWindowsOfAtMost90Days() {
        Instant since = Instant.parse("2025-01-01T00:00:00Z");
        authenticated().getTransactions(TransactionQuery.since(since)).toList();

        // 2025-01-01 .. 2025-06-30T20:00Z is 180.8 days: three windows
        assertThat(transactionRequests).hasSize(3);
        List<Instant[]> windows = new ArrayList<>();
        for (HttpUrl url : transactionRequests) {
            assertThat(url.queryParameter("types")).contains("TRADE").contains("DIVIDEND_OR_INTEREST")
                    .contains("RECEIVE_AND_DELIVER").contains("WIRE_OUT").contains("JOURNAL");
            assertThat(url.queryParameter("startDate")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            windows.add(new Instant[] {Instant.parse(url.queryParameter("startDate")),
                    Instant.parse(url.queryParameter("endDate"))});
        }
        assertThat(windows.get(0)[0]).isEqualTo(since);
        for (int i = 0; i < windows.size(); i++) {
            assertThat(Duration.between(windows.get(i)[0], windows.get(i)[1])).isLessThan(Duration.ofDays(90));
            if (i > 0) {
                assertThat(windows.get(i)[0]).isEqualTo(windows.get(i - 1)[1].plusMillis(1));
            }
        }
        assertThat(windows.get(windows.size() - 1)[1]).isEqualTo(NOW.minusMillis(1));
    }

    @Test
    void historyBeyondTheLookbackLimitIsNotRequested() {
        authenticated().getTransactions(TransactionQuery.all()).toList();
        assertThat(transactionRequests).hasSize(5); // 365 days in 90-day windows
        assertThat(Instant.parse(transactionRequests.get(0).queryParameter("startDate")))
                .isEqualTo(NOW.minus(Duration.ofDays(365)));
    }

    @Test
    void windowsAreFetchedLazilyPageByPage() {
        var result = authenticated().getTransactions(TransactionQuery.since(Instant.parse("2025-01-01T00:00:00Z")));
        var pages = result.iterator();
        pages.next();
        assertThat(transactionRequests).hasSize(1);
        pages.next();
        assertThat(transactionRequests).hasSize(2);
    }

    @Test
    void aWindowThatHitsTheRowCapIsSplitInHalves() {
        StringBuilder full = new StringBuilder("[");
        for (int i = 0; i < 3000; i++) {
            full.append(i == 0 ? "" : ",").append("{\"activityId\":").append(50000 + i)
                    .append(",\"time\":\"2025-06-20T15:00:00+0000\",\"type\":\"JOURNAL\",\"netAmount\":1}");
        }
        String capped = full.append(']').toString();
        List<HttpUrl> seen = transactionRequests;
        transactions = url -> seen.size() == 1 ? json(capped) : json("[]");
        List<Transaction> txs = authenticated()
                .getTransactions(TransactionQuery.since(Instant.parse("2025-06-01T00:00:00Z"))).toList();
        assertThat(transactionRequests).hasSize(3);
        assertThat(txs).isEmpty(); // the capped answer is discarded; the halves answered with nothing
        Instant firstStart = Instant.parse(transactionRequests.get(1).queryParameter("startDate"));
        Instant secondEnd = Instant.parse(transactionRequests.get(2).queryParameter("endDate"));
        assertThat(firstStart).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
        assertThat(secondEnd).isEqualTo(NOW.minusMillis(1));
    }

    @Test
    void http429IsRetriedAfterTheServersWaitThroughTheSharedLimiter() {
        SchwabTestKit.WAITS.clear();
        accountNumbers429s = 1;
        SchwabConnector schwab = authenticated();
        assertThat(schwab.isAuthenticated()).isTrue();
        assertThat(hits.get("/trader/v1/accounts/accountNumbers")).isEqualTo(2);
        assertThat(SchwabTestKit.WAITS).singleElement().isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void persistent429BecomesRateLimitExceptionCarryingTheServersWait() {
        SchwabConnector schwab = authenticated();
        accounts429 = true;
        Assertions.assertThatThrownBy(schwab::getHoldings).isInstanceOf(RateLimitException.class)
                .hasMessageContaining("429")
                .satisfies(e -> assertThat(((RateLimitException) e).retryAfter()).contains(Duration.ofSeconds(2)));
        assertThat(hits.get("/trader/v1/accounts")).as("3 attempts in all").isEqualTo(3);
        assertThat(schwab.metadata().rateLimitPerMinute()).contains(120);
    }

    @Test
    void thePlainAccountNumberIsNeverLogged() {
        transactions = url -> json(resource("api/trader-v1-transactions.json"));
        try (LogCapture log = LogCapture.of("io.foliosync")) {
            SchwabConnector schwab = authenticated();
            schwab.getAccounts();
            schwab.getHoldings();
            schwab.getTransactions(TransactionQuery.since(Instant.parse("2025-06-01T00:00:00Z"))).toList();
            assertThat(log.messages()).isNotEmpty();
            assertThat(log.text()).doesNotContain(PLAIN_NUMBER).doesNotContain("access-0")
                    .doesNotContain(SchwabTestKit.CLIENT_SECRET);
        }
    }

    @Test
    void maskingKeepsOnlyTheLastFourDigits() {
        assertThat(io.foliosync.connectors.schwab.internal.AccountNumbers.mask("12345678")).isEqualTo("****5678");
        assertThat(io.foliosync.connectors.schwab.internal.AccountNumbers.mask("123")).isEqualTo("****");
        assertThat(io.foliosync.connectors.schwab.internal.AccountNumbers.mask("12345")).isEqualTo("****5");
    }
}
