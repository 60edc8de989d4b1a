package io.foliosync.connectors.schwab;

import static io.foliosync.connectors.schwab.SchwabTestKit.CIPHER;
import static io.foliosync.connectors.schwab.SchwabTestKit.builder;
import static io.foliosync.connectors.schwab.SchwabTestKit.status;
import static io.foliosync.connectors.schwab.SchwabTestKit.storeTokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.http.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchwabFallbackAndProviderTest {
    private static final Instant NOW = Instant.parse("2025-03-25T15:00:00Z");

    @TempDir
    Path dir;
    private Path exports;
    private final MockWebServer server = new MockWebServer();
    private final SchwabTestKit.MutableClock clock = new SchwabTestKit.MutableClock(NOW);

    @BeforeEach
    void start() throws IOException {
        exports = Files.createDirectories(dir.resolve("exports"));
        copy("positions-sample.csv", exports.resolve("Brokerage-Positions-2025-03-21.csv"));
        copy("transactions-sample.csv", exports.resolve("Brokerage_Transactions_20250321.csv"));
        Files.writeString(exports.resolve("notes.txt"), "not an export");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return status(503, "{\"message\":\"down for maintenance\"}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void copy(String name, Path target) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/schwab/csv/" + name)) {
            Files.copy(in, target);
        }
    }

    private ConnectorContext context() {
        return new ConnectorContext(clock, dir.resolve("data"), CIPHER, RateLimiterRegistry.isolated());
    }

    @Test
    void apiDownFallsBackToTheCsvExports() {
        storeTokens(dir.resolve("tokens.enc"), "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        SchwabConnector schwab = builder(server, dir.resolve("tokens.enc"), clock)
                .retryPolicy(RetryPolicy.none()).csvFallback(SchwabCsvFallback.directory(exports)).build();
        AuthenticationResult result = schwab.authenticate();
        assertThat(result.success()).as(result.message()).isTrue();
        assertThat(result.message()).contains("unavailable").contains("CSV exports in");
        assertThat(schwab.usesCsvFallback()).isTrue();
        assertThat(schwab.getHoldings()).extracting(Holding::symbol).contains("SAMPL", "USD");
        List<Transaction> txs = schwab.getTransactions(TransactionQuery.since(Instant.parse("2025-03-10T00:00:00Z")))
                .toList();
        assertThat(txs).hasSize(8).extracting(Transaction::date).isSorted();
        assertThat(schwab.getAccounts()).singleElement()
                .satisfies(a -> assertThat(a.accountId()).isEqualTo("csv:Brokerage ...987"));
        assertThat(schwab.healthCheck().healthy()).isTrue();
    }

    @Test
    void transactionsFallBackToTheCsvExportsWhenTheApiFailsMidSession() throws IOException {
        storeTokens(dir.resolve("tokens.enc"), "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        try (MockWebServer flaky = new MockWebServer()) {
            flaky.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return request.getUrl().encodedPath().endsWith("/accountNumbers")
                            ? SchwabTestKit.json(SchwabTestKit.accountNumbersJson())
                            : status(502, "{}");
                }
            });
            flaky.start();
            SchwabConnector schwab = builder(flaky, dir.resolve("tokens.enc"), clock)
                    .retryPolicy(RetryPolicy.none()).csvFallback(SchwabCsvFallback.directory(exports)).build();
            assertThat(schwab.authenticate().success()).isTrue();
            assertThat(schwab.usesCsvFallback()).isFalse();
            List<Transaction> txs = schwab.getTransactions(TransactionQuery.all()).toList();
            assertThat(txs).hasSize(12).allMatch(t -> t.sourceId().orElseThrow().startsWith("csv-"));
            assertThat(schwab.getHoldings()).extracting(Holding::symbol).contains("SAMPL");
        }
    }

    @Test
    void notAuthorizedFallsBackToTheCsvExportsAndSaysHowToAuthorize() {
        SchwabConnector schwab = builder(server, dir.resolve("none.enc"), clock)
                .csvFallback(SchwabCsvFallback.directory(exports)).build();
        AuthenticationResult result = schwab.authenticate();
        assertThat(result.success()).isTrue();
        assertThat(result.message()).contains("not authorized").contains("schwab login");
        assertThat(server.getRequestCount()).isZero();
        assertThat(schwab.getHoldings()).hasSize(4);
    }

    @Test
    void apiDownWithoutFallbackFails() {
        storeTokens(dir.resolve("tokens.enc"), "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        AuthenticationResult result = builder(server, dir.resolve("tokens.enc"), clock)
                .retryPolicy(RetryPolicy.none()).build().authenticate();
        assertThat(result.success()).isFalse();
        assertThat(result.message()).contains("503").contains("csv_fallback");
    }

    @Test
    void aMalformedExportFailsTheWholeImport() throws IOException {
        Files.writeString(exports.resolve("Broken_Transactions.csv"), """
                "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
                "03/24/2025","Buy","SAMPL","SAMPLE","1","$1.00","","not money"
                """);
        SchwabConnector schwab = SchwabConnector.builder(context()).apiEnabled(false)
                .csvFallback(SchwabCsvFallback.directory(exports)).build();
        assertThat(schwab.authenticate().success()).isTrue();
        assertThatThrownBy(() -> schwab.getTransactions(TransactionQuery.all()).toList())
                .isInstanceOf(DataFetchException.class).hasMessageContaining("Broken_Transactions.csv")
                .hasMessageContaining("line 2");
    }

    @Test
    void overlappingExportsInTheFolderDeduplicate() throws IOException {
        copy("transactions-sample.csv", exports.resolve("Brokerage_Transactions_20250322.csv"));
        SchwabConnector schwab = SchwabConnector.builder(context()).apiEnabled(false)
                .csvFallback(SchwabCsvFallback.directory(exports)).build();
        assertThat(schwab.authenticate().success()).isTrue();
        assertThat(schwab.getTransactions(TransactionQuery.all()).toList()).hasSize(12);
    }

    @Test
    void providerIsRegisteredForTheSchwabSection() {
        assertThat(ServiceLoader.load(ConnectorProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> assertThat(p.configSection()).isEqualTo("schwab"));
    }

    @Test
    void providerBuildsTheConnectorFromItsSection() {
        ConfigSection section = new ConfigSection("schwab", Map.of(
                "enabled", true,
                "client_id", "app-key",
                "client_secret", "app-secret",
                "base_url", server.url("/").toString(),
                "token_store", "tokens/schwab.enc",
                "transaction_window_days", 30,
                "csv_fallback", Map.of("enabled", true, "directory", exports.toString())));
        List<Connector> connectors = new SchwabConnectorProvider().create(section, context());
        assertThat(connectors).singleElement().isInstanceOf(SchwabConnector.class);
        SchwabConnector schwab = (SchwabConnector) connectors.get(0);
        assertThat(schwab.metadata().name()).isEqualTo("schwab");
        assertThat(schwab.authorizationUrl().toString()).contains("client_id=app-key")
                .contains("redirect_uri=http%3A%2F%2Flocalhost%3A5000%2Fauth%2Fschwab%2Fcallback");
        AuthenticationResult result = schwab.authenticate();
        assertThat(result.success()).isTrue();
        assertThat(result.message()).contains(dir.resolve("data/tokens/schwab.enc").toString());
    }

    @Test
    void providerNamesEveryMissingKeyAtOnce() {
        ConfigSection section = new ConfigSection("schwab", Map.of("enabled", true,
                "redirect_uri", "http://example.com/cb", "max_lookback_days", "a year"));
        assertThatThrownBy(() -> new SchwabConnectorProvider().create(section, context()))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .anyMatch(p -> p.contains("schwab.client_id"))
                        .anyMatch(p -> p.contains("schwab.client_secret"))
                        .anyMatch(p -> p.contains("max_lookback_days")));
        ConfigSection badRedirect = new ConfigSection("schwab", Map.of("client_id", "k", "client_secret", "s",
                "redirect_uri", "http://example.com/cb"));
        assertThatThrownBy(() -> new SchwabConnectorProvider().create(badRedirect, context()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("https");
    }

    @Test
    void providerSkipsADisabledOrAbsentSection() {
        assertThat(new SchwabConnectorProvider().create(ConfigSection.empty("schwab"), context())).isEmpty();
        assertThat(new SchwabConnectorProvider().create(new ConfigSection("schwab", Map.of("enabled", false,
                "client_id", "k")), context())).isEmpty();
    }

    @Test
    void csvOnlyConfigurationNeedsNoApiKeys() {
        ConfigSection section = new ConfigSection("schwab", Map.of("csv_fallback", Map.of("enabled", "true",
                "positions_file", exports.resolve("Brokerage-Positions-2025-03-21.csv").toString(),
                "account_id", "ACCT-HASH")));
        SchwabConnector schwab = (SchwabConnector) new SchwabConnectorProvider().create(section, context()).get(0);
        assertThat(schwab.authenticate().success()).isTrue();
        assertThat(schwab.getHoldings()).allMatch(h -> h.accountId().equals("ACCT-HASH")).hasSize(4);
        assertThat(schwab.getTransactions(TransactionQuery.all()).toList()).isEmpty();
        assertThatThrownBy(schwab::authorizationUrl).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void enabledFallbackWithoutFilesIsAConfigurationError() {
        ConfigSection section = new ConfigSection("schwab", Map.of("csv_fallback", Map.of("enabled", true)));
        assertThatThrownBy(() -> new SchwabConnectorProvider().create(section, context()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("csv_fallback");
    }
}
