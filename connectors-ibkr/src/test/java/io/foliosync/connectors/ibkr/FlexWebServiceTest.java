package io.foliosync.connectors.ibkr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.api.testing.LogCapture;
import io.foliosync.connectors.api.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlexWebServiceTest {
    private static final String TOKEN = "3141592653589793238462643";
    private final MockWebServer server = new MockWebServer();
    private final Routes routes = new Routes();
    private final List<Duration> waits = new ArrayList<>();
    @TempDir
    Path data;

    @BeforeEach
    void start() throws Exception {
        server.setDispatcher(routes);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private IbkrConnector connector(int maxPolls) {
        return builder(maxPolls).build();
    }

    private IbkrConnector.Builder builder(int maxPolls) {
        return IbkrConnector.builder()
                .clientPortal(false)
                .flexToken(Secret.of(TOKEN))
                .flexQueryIds(List.of("987654"))
                .flexBaseUrl(server.url("/AccountManagement/FlexWebService").toString())
                .flexMaxPollAttempts(maxPolls)
                .flexPollInterval(Duration.ofSeconds(2))
                .dataDirectory(data)
                .rateLimiters(RateLimiterRegistry.isolated())
                .sleeper(waits::add)
                .testing(100, false);
    }

    private List<Transaction> transactions(IbkrConnector ibkr) {
        assertThat(ibkr.authenticate().success()).isTrue();
        try (PagedResult<Transaction> r = ibkr.getTransactions(TransactionQuery.all())) {
            return r.toList();
        }
    }

    @Test
    void statementStillGenerating1019IsPolledWithBackoffThenRead() {
        routes.on("GET /AccountManagement/FlexWebService/SendRequest", Routes.xml("flex/send-request-success.xml"))
                .then("GET /AccountManagement/FlexWebService/GetStatement",
                        Routes.xml("flex/get-statement-1019.xml"), Routes.xml("flex/get-statement-1019.xml"),
                        Routes.xml("flex/activity-single-account.xml"));
        try (IbkrConnector ibkr = connector(5)) {
            List<Transaction> tx = transactions(ibkr);
            assertThat(tx).extracting(t -> t.sourceId().orElseThrow()).contains("700000101", "2200000201");
        }
        assertThat(routes.count("GET /AccountManagement/FlexWebService/GetStatement")).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    }

    @Test
    void tokenTravelsAsQueryParameterTButNeverReachesLogs() throws Exception {
        routes.on("GET /AccountManagement/FlexWebService/SendRequest", Routes.xml("flex/send-request-success.xml"))
                .on("GET /AccountManagement/FlexWebService/GetStatement", Routes.xml("flex/activity-single-account.xml"));
        try (LogCapture logs = LogCapture.of("io.foliosync"); IbkrConnector ibkr = connector(3)) {
            transactions(ibkr);
            assertThat(logs.text()).isNotEmpty().doesNotContain(TOKEN);
        }
        RecordedRequest send = server.takeRequest();
        assertThat(send.getUrl().queryParameter("t")).isEqualTo(TOKEN);
        assertThat(send.getUrl().queryParameter("q")).isEqualTo("987654");
        assertThat(send.getUrl().queryParameter("v")).isEqualTo("3");
        assertThat(send.getUrl().queryParameter("flex_token")).isNull();
        RecordedRequest get = server.takeRequest();
        assertThat(get.getUrl().queryParameter("q")).isEqualTo("8812345678");
    }

    @Test
    void downloadedStatementIsKeptForReuseThenDeletedWhenTheConnectorIsClosed() throws Exception {
        serveStatement(Routes.xml("flex/activity-single-account.xml"));
        try (IbkrConnector ibkr = connector(3)) {
            transactions(ibkr);
            assertThat(statementFiles()).hasSize(1);
        }
        assertThat(statementFiles()).isEmpty();
    }

    private List<Path> statementFiles() throws Exception {
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private void serveStatement(MockResponse statement) {
        routes.on("GET /AccountManagement/FlexWebService/SendRequest", Routes.xml("flex/send-request-success.xml"))
                .on("GET /AccountManagement/FlexWebService/GetStatement", statement);
    }

    @Test
    void flexOnlyHoldingsAreTheStatementsOpenPositionsAndCashPerCurrency() {
        serveStatement(Routes.xml("flex/activity-single-account.xml"));
        try (IbkrConnector ibkr = connector(3)) {
            assertThat(ibkr.capabilities()).contains(Capability.HOLDINGS);
            assertThat(ibkr.authenticate().success()).isTrue();
            List<Holding> holdings = ibkr.getHoldings();
            assertThat(holdings).extracting(Holding::symbol)
                    .containsExactly("VTI", "MSFT  240621C00450000", "USD", "EUR"); // HUF 0 and BASE_SUMMARY skipped
            Holding vti = holdings.get(0);
            assertThat(vti.quantity()).isEqualByComparingTo("25");
            assertThat(vti.currentPrice()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("289.81"));
            assertThat(vti.marketValue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("7245.25"));
            assertThat(vti.costBasis()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("5879.25"));
            assertThat(vti.assetClass()).isEqualTo(AssetClass.ETF);
            assertThat(vti.externalId()).contains("12340041");
            Holding shortCall = holdings.get(1);
            assertThat(shortCall.quantity()).isEqualByComparingTo("-1");
            assertThat(shortCall.currentPrice()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("1.05"));
            assertThat(shortCall.marketValue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("-105"));
            assertThat(shortCall.costBasis()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("-314.32"));
            assertThat(shortCall.currency()).isEqualTo("USD");
            assertThat(shortCall.accountId()).isEqualTo("U7654321");
            assertThat(shortCall.assetClass()).isEqualTo(AssetClass.OPTION);
            assertThat(shortCall.externalId()).contains("688000111");
            Holding usd = holdings.get(2);
            assertThat(usd.assetClass()).isEqualTo(AssetClass.CASH);
            assertThat(usd.quantity()).isEqualByComparingTo("4907.52");
            assertThat(usd.marketValue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("4907.52"));
            assertThat(usd.currency()).isEqualTo("USD");
            assertThat(usd.accountId()).isEqualTo("U7654321");
            assertThat(usd.attributes()).containsEntry("settledCash", "4870.02").containsEntry("reportDate", "20241231");
            assertThat(holdings.get(3).quantity()).isEqualByComparingTo("398.44");
            assertThat(ibkr.getHoldings("U7654321")).hasSize(4);
            assertThat(ibkr.getHoldings("U0000000")).isEmpty();

            // the same sync's transactions come from the same statement: one SendRequest in all
            try (PagedResult<Transaction> r = ibkr.getTransactions(TransactionQuery.all())) {
                assertThat(r.toList()).isNotEmpty();
            }
        }
        assertThat(routes.count("GET /AccountManagement/FlexWebService/SendRequest")).isEqualTo(1);
        assertThat(routes.count("GET /AccountManagement/FlexWebService/GetStatement")).isEqualTo(1);
    }

    @Test
    void aStatementOlderThanTheReuseWindowIsDownloadedAgainAndTheOldOneDeleted() throws Exception {
        serveStatement(Routes.xml("flex/activity-single-account.xml"));
        MutableClock clock = new MutableClock(Instant.parse("2025-01-03T08:00:00Z"));
        try (IbkrConnector ibkr = builder(3).clock(clock).flexStatementReuse(Duration.ofMinutes(15)).build()) {
            assertThat(ibkr.authenticate().success()).isTrue();
            ibkr.getHoldings();
            List<Path> first = statementFiles();
            clock.advance(Duration.ofMinutes(14));
            ibkr.getHoldings();
            assertThat(routes.count("GET /AccountManagement/FlexWebService/SendRequest")).isEqualTo(1);
            clock.advance(Duration.ofMinutes(2));
            assertThat(ibkr.getHoldings()).hasSize(4);
            assertThat(routes.count("GET /AccountManagement/FlexWebService/SendRequest")).isEqualTo(2);
            assertThat(statementFiles()).hasSize(1).doesNotContainAnyElementsOf(first);
        }
    }

    @Test
    void flexFilesAloneGiveHoldingsWithoutAnyRequest() {
        try (IbkrConnector ibkr = IbkrConnector.builder()
                .clientPortal(false)
                .flexFiles(List.of(FlexTestSupport.resource("flex/activity-single-account.xml"),
                        FlexTestSupport.resource("flex/multi-account.xml")))
                .dataDirectory(data)
                .build()) {
            assertThat(ibkr.authenticate().success()).isTrue();
            assertThat(ibkr.getHoldings()).extracting(Holding::symbol)
                    .containsExactly("VTI", "MSFT  240621C00450000", "USD", "EUR");
        }
        assertThat(routes.calls()).isEmpty();
    }

    static Stream<Arguments> statements() {
        Stream<Arguments> own = Stream.of("activity-single-account.xml", "reversals.xml", "multi-account.xml")
                .map(n -> Arguments.of(n, FlexTestSupport.resource("flex/" + n)));
        Stream<Arguments> shared = Stream.of("pp-flex01-trades-cash-fx-corpactions.xml",
                        "pp-flex02-trades-cash-accountinfo.xml", "pp-flex12-cash-dividends-tax.xml",
                        "pp-flex17-openpositions-full.xml", "pp-flex20-cashreport-accruals.xml",
                        "pp-flex24-cash-interest.xml", "pp-flex26-multi-account.xml")
                .map(n -> Arguments.of(n, SharedFixtures.file("ibkr-flex/" + n).orElse(null)));
        return Stream.concat(own, shared);
    }

    /** A statement downloaded by hand and read through flex.files equals the one the Web Service returns. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void aHandDownloadedFileGivesTheSameTransactionsAsTheWebService(String name, Path file) throws Exception {
        assumeTrue(file != null, "shared fixture ibkr-flex/" + name + " not present");
        serveStatement(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/xml")
                .body(Files.readString(file)).build());
        List<Transaction> viaWebService;
        List<Holding> holdingsViaWebService;
        try (IbkrConnector ibkr = connector(3)) {
            viaWebService = transactions(ibkr);
            holdingsViaWebService = ibkr.getHoldings();
        }
        List<Transaction> viaFile;
        List<Holding> holdingsViaFile;
        try (IbkrConnector ibkr = IbkrConnector.builder().clientPortal(false).flexFiles(List.of(file))
                .dataDirectory(data).build()) {
            viaFile = transactions(ibkr);
            holdingsViaFile = ibkr.getHoldings();
        }
        assertThat(viaWebService).isNotEmpty();
        assertThat(viaFile).extracting(t -> t.sourceId().orElseThrow())
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(viaWebService.stream().map(t -> t.sourceId().orElseThrow()).toList());
        assertThat(viaFile).containsExactlyElementsOf(viaWebService);
        assertThat(holdingsViaFile).containsExactlyElementsOf(holdingsViaWebService);
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void expiredTokenFailsWithIbkrsMessageAndWhatToDo() {
        routes.on("GET /AccountManagement/FlexWebService/SendRequest", Routes.xml("flex/send-request-1012.xml"));
        try (IbkrConnector ibkr = connector(3)) {
            assertThatThrownBy(() -> transactions(ibkr))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("1012")
                    .hasMessageContaining("Token has expired.")
                    .hasMessageContaining("Generate New Token")
                    .hasMessageContaining("interactive_brokers.flex.token")
                    .hasMessageNotContaining(TOKEN);
        }
    }

    @Test
    void tooManyRequestsBecomesRateLimitException() {
        routes.on("GET /AccountManagement/FlexWebService/SendRequest", Routes.xml("flex/send-request-1018.xml"));
        try (IbkrConnector ibkr = connector(3)) {
            assertThatThrownBy(() -> transactions(ibkr))
                    .isInstanceOf(RateLimitException.class)
                    .hasMessageContaining("1018")
                    .satisfies(e -> assertThat(((RateLimitException) e).retryAfter()).isPresent());
        }
    }

    @Test
    void invalidQueryBecomesConfigurationExceptionNamingTheKey() {
        routes.on("GET /AccountManagement/FlexWebService/SendRequest", Routes.xml("flex/send-request-1014.xml"));
        try (IbkrConnector ibkr = connector(3)) {
            assertThatThrownBy(() -> transactions(ibkr))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("interactive_brokers.flex.query_ids")
                    .hasMessageContaining("Query is invalid.");
        }
    }

    @Test
    void pollingStopsAtItsBound() {
        routes.on("GET /AccountManagement/FlexWebService/SendRequest", Routes.xml("flex/send-request-success.xml"))
                .on("GET /AccountManagement/FlexWebService/GetStatement", Routes.xml("flex/get-statement-1019.xml"));
        try (IbkrConnector ibkr = connector(3)) {
            assertThatThrownBy(() -> transactions(ibkr))
                    .isInstanceOf(DataFetchException.class)
                    .hasMessageContaining("not ready after 3 attempts")
                    .hasMessageContaining("max_poll_attempts");
        }
        assertThat(routes.count("GET /AccountManagement/FlexWebService/GetStatement")).isEqualTo(3);
    }

    /** SendRequest answers by query id, GetStatement by reference code: two queries, one of them broken. */
    private static mockwebserver3.Dispatcher twoQueries(MockResponse q2Send, MockResponse q2Statement) {
        return new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                String q = request.getUrl().queryParameter("q");
                if (path.endsWith("/SendRequest")) {
                    return "111111".equals(q) ? Routes.xml("flex/send-request-success.xml") : q2Send;
                }
                if (path.endsWith("/GetStatement")) {
                    return "8812345678".equals(q) ? Routes.xml("flex/activity-single-account.xml") : q2Statement;
                }
                return Routes.status(404, "");
            }
        };
    }

    static Stream<Arguments> brokenSecondQuery() {
        MockResponse sendOk = new MockResponse.Builder().code(200).addHeader("Content-Type", "text/xml")
                .body("<FlexStatementResponse timestamp='02 October, 2024 06:30 AM EDT'>\n<Status>Success</Status>\n"
                        + "<ReferenceCode>9900000002</ReferenceCode>\n</FlexStatementResponse>\n").build();
        return Stream.of(
                Arguments.of("error code 1014", Routes.xml("flex/send-request-1014.xml"), Routes.status(404, ""),
                        ConfigurationException.class),
                Arguments.of("malformed statement", sendOk, Routes.xml("flex/truncated.xml"),
                        DataFetchException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenSecondQuery")
    void aFailingFlexQueryFailsOnlyItsOwnSource(String name, MockResponse q2Send, MockResponse q2Statement,
                                                Class<? extends Exception> failure) {
        server.setDispatcher(twoQueries(q2Send, q2Statement));
        List<IbkrConnector> sources = builder(3).flexQueryIds(List.of("111111", "222222")).buildSources();
        try {
            assertThat(sources).extracting(IbkrConnector::sourceId).containsExactly("ibkr-flex-111111",
                    "ibkr-flex-222222");
            IbkrConnector q1 = sources.get(0);
            IbkrConnector q2 = sources.get(1);
            assertThat(q2.authenticate().success()).isTrue();
            assertThatThrownBy(() -> {
                try (PagedResult<Transaction> r = q2.getTransactions(TransactionQuery.all())) {
                    r.toList();
                }
            }).isInstanceOf(failure).hasMessageNotContaining(TOKEN);
            assertThatThrownBy(q2::getHoldings).isInstanceOf(failure);

            List<Transaction> q1History = transactions(q1);
            List<Transaction> whole;
            try (IbkrConnector file = IbkrConnector.builder().clientPortal(false)
                    .flexFiles(List.of(FlexTestSupport.resource("flex/activity-single-account.xml")))
                    .dataDirectory(data).build()) {
                whole = transactions(file);
            }
            assertThat(q1History).isNotEmpty().containsExactlyElementsOf(whole)
                    .allSatisfy(t -> assertThat(t.source()).isEqualTo("ibkr"));
            assertThat(q1.getHoldings()).hasSize(4);
        } finally {
            sources.forEach(IbkrConnector::close);
        }
    }

    @Test
    void flexIsNotContactedUntilTransactionsAreConsumed() {
        try (IbkrConnector ibkr = connector(3)) {
            ibkr.authenticate();
            ibkr.getTransactions(TransactionQuery.all()).close();
        }
        assertThat(routes.calls()).isEmpty();
    }

    private static final String SEND_REQUEST = "GET /AccountManagement/FlexWebService/SendRequest";

    @Test
    void flexDroppedConnectionIsRetriedByTheHttpLayerThenNetworkExceptionWithoutTheToken() {
        routes.on(SEND_REQUEST, new MockResponse.Builder()
                .onResponseStart(new mockwebserver3.SocketEffect.CloseSocket()).build());
        try (IbkrConnector ibkr = connector(3)) {
            assertThatThrownBy(() -> transactions(ibkr))
                    .isInstanceOf(io.foliosync.connectors.api.NetworkException.class)
                    .hasMessageContaining("GET /SendRequest")
                    .hasMessageNotContaining(TOKEN);
        }
        // The default policy's 4 attempts, by the HTTP client alone.
        assertThat(routes.count(SEND_REQUEST)).isEqualTo(4);
    }

    @Test
    void flexHttp500IsRetriedThenHttpStatusException() {
        routes.on(SEND_REQUEST, Routes.status(500, "<html>error</html>"));
        try (IbkrConnector ibkr = connector(3)) {
            assertThatThrownBy(() -> transactions(ibkr))
                    .isInstanceOfSatisfying(io.foliosync.connectors.api.HttpStatusException.class,
                            e -> assertThat(e.status()).isEqualTo(500));
        }
        assertThat(routes.count(SEND_REQUEST)).isEqualTo(4);
    }

    @Test
    void flexUnexpectedEnvelopeIsMalformedDataExceptionAndNotRetried() {
        routes.on(SEND_REQUEST, new MockResponse.Builder().body("<Nope/>").build());
        try (IbkrConnector ibkr = connector(3)) {
            assertThatThrownBy(() -> transactions(ibkr))
                    .isInstanceOf(io.foliosync.connectors.api.MalformedDataException.class)
                    .hasMessageContaining("FlexStatementResponse");
        }
        assertThat(routes.count(SEND_REQUEST)).isEqualTo(1);
    }
}
