package io.foliosync.connectors.ibkr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.api.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                .testing(100, false)
                .build();
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
    void downloadedStatementIsDeletedWhenTheResultsAreClosed() throws Exception {
        routes.on("GET /AccountManagement/FlexWebService/SendRequest", Routes.xml("flex/send-request-success.xml"))
                .on("GET /AccountManagement/FlexWebService/GetStatement", Routes.xml("flex/activity-single-account.xml"));
        try (IbkrConnector ibkr = connector(3)) {
            transactions(ibkr);
        }
        try (Stream<Path> files = Files.walk(data)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
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

    @Test
    void flexIsNotContactedUntilTransactionsAreConsumed() {
        try (IbkrConnector ibkr = connector(3)) {
            ibkr.authenticate();
            ibkr.getTransactions(TransactionQuery.all()).close();
        }
        assertThat(routes.calls()).isEmpty();
    }
}
