package io.foliosync.connectors.schwab;

import static io.foliosync.connectors.schwab.SchwabTestKit.CIPHER;
import static io.foliosync.connectors.schwab.SchwabTestKit.CLIENT_SECRET;
import static io.foliosync.connectors.schwab.SchwabTestKit.HASH;
import static io.foliosync.connectors.schwab.SchwabTestKit.accountNumbersJson;
import static io.foliosync.connectors.schwab.SchwabTestKit.accountsJson;
import static io.foliosync.connectors.schwab.SchwabTestKit.builder;
import static io.foliosync.connectors.schwab.SchwabTestKit.json;
import static io.foliosync.connectors.schwab.SchwabTestKit.resource;
import static io.foliosync.connectors.schwab.SchwabTestKit.status;
import static io.foliosync.connectors.schwab.SchwabTestKit.storeTokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Trader API ({@code schwab}) and the CSV exports ({@code schwab-csv}) are two sources: the provider builds
 * each when enabled, and a failure of one never reaches the other.
 */
class SchwabSourcesTest {
    private static final Instant NOW = Instant.parse("2025-03-25T15:00:00Z");
    private static final String POSITIONS = "Brokerage-Positions-2025-03-21.csv";
    private static final String TRANSACTIONS = "Brokerage_Transactions_20250321.csv";

    @TempDir
    Path dir;
    private Path exports;
    private final MockWebServer server = new MockWebServer();
    private final SchwabTestKit.MutableClock clock = new SchwabTestKit.MutableClock(NOW);
    /** What the Trader API answers; healthy by default. */
    private final AtomicReference<Dispatcher> api = new AtomicReference<>(healthyApi());

    @BeforeEach
    void start() throws IOException {
        exports = Files.createDirectories(dir.resolve("exports"));
        copy("positions-sample.csv", exports.resolve(POSITIONS));
        copy("transactions-sample.csv", exports.resolve(TRANSACTIONS));
        Files.writeString(exports.resolve("notes.txt"), "not an export");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return api.get().dispatch(request);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Dispatcher healthyApi() {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/trader/v1/accounts/accountNumbers")) {
                    return json(accountNumbersJson());
                }
                if (path.equals("/trader/v1/accounts")) {
                    return json(accountsJson());
                }
                if (path.equals("/trader/v1/accounts/" + HASH + "/transactions")) {
                    return json(resource("api/trader-v1-transactions.json"));
                }
                return status(404, "{}");
            }
        };
    }

    private void copy(String name, Path target) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/schwab/csv/" + name)) {
            Files.copy(in, target);
        }
    }

    private ConnectorContext context() {
        return new ConnectorContext(clock, dir.resolve("data"), CIPHER, RateLimiterRegistry.isolated());
    }

    /** A section enabling both sources; {@code csv} replaces the csv_fallback keys. */
    private Map<String, Object> bothSources(Map<String, Object> csv) {
        Map<String, Object> m = new HashMap<>(Map.of(
                "enabled", true,
                "client_id", "app-key",
                "client_secret", CLIENT_SECRET,
                "base_url", server.url("/").toString(),
                "token_store", "tokens/schwab.enc",
                "transaction_window_days", 30));
        m.put("csv_fallback", csv);
        return m;
    }

    private Map<String, Object> bothSources() {
        return bothSources(Map.of("enabled", true, "directory", exports.toString()));
    }

    private List<Connector> create(Map<String, Object> section) {
        return new SchwabConnectorProvider().create(new ConfigSection("schwab", section), context());
    }

    private Path tokenFile() {
        return dir.resolve("data/tokens/schwab.enc");
    }

    private static Connector byId(List<Connector> sources, String id) {
        return sources.stream().filter(c -> c.sourceId().equals(id)).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------------------------------- provider

    @Test
    void providerIsRegisteredForTheSchwabSection() {
        assertThat(ServiceLoader.load(ConnectorProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> assertThat(p.configSection()).isEqualTo("schwab"));
    }

    @Test
    void providerYieldsTheApiAndTheCsvAsTwoSourcesThatKeepTheSchwabName() {
        List<Connector> sources = create(bothSources());

        assertThat(sources).extracting(Connector::sourceId).containsExactly("schwab", "schwab-csv");
        assertThat(sources).extracting(c -> c.metadata().name()).containsOnly("schwab");
        assertThat(sources.get(0)).isInstanceOf(SchwabConnector.class);
        assertThat(sources.get(1)).isInstanceOf(SchwabCsvConnector.class);
        SchwabConnector schwab = (SchwabConnector) sources.get(0);
        assertThat(schwab.authorizationUrl().toString()).contains("client_id=app-key")
                .contains("redirect_uri=http%3A%2F%2Flocalhost%3A5000%2Fauth%2Fschwab%2Fcallback");
        AuthenticationResult result = schwab.authenticate();
        assertThat(result.success()).isFalse();
        assertThat(result.message()).contains(tokenFile().toString()).contains("schwab login");
    }

    @Test
    void providerYieldsTheApiAloneWithoutCsvFallback() {
        Map<String, Object> section = bothSources();
        section.remove("csv_fallback");
        assertThat(create(section)).extracting(Connector::sourceId).containsExactly("schwab");
        section.put("csv_fallback", Map.of("enabled", false, "directory", exports.toString()));
        assertThat(create(section)).extracting(Connector::sourceId).containsExactly("schwab");
    }

    @Test
    void csvOnlySectionYieldsTheCsvSourceAloneAndNeedsNoApiKeys() {
        List<Connector> sources = create(Map.of("csv_fallback", Map.of("enabled", "true",
                "positions_file", exports.resolve(POSITIONS).toString(), "account_id", "ACCT-HASH")));

        assertThat(sources).singleElement().isInstanceOf(SchwabCsvConnector.class);
        Connector csv = sources.get(0);
        assertThat(csv.sourceId()).isEqualTo("schwab-csv");
        assertThat(csv.metadata().name()).isEqualTo("schwab");
        assertThat(csv.authenticate().success()).isTrue();
        assertThat(csv.getHoldings()).hasSize(4).allMatch(h -> h.accountId().equals("ACCT-HASH"))
                .allMatch(h -> h.source().equals("schwab"));
        assertThat(csv.getTransactions(TransactionQuery.all()).toList()).isEmpty();
    }

    @Test
    void theOriginalAuthTypeOauth2IsTheApiAndAnyOtherValueIsNamed() {
        Map<String, Object> section = bothSources();
        section.put("auth_type", "oauth2");
        List<Connector> sources = create(section);
        assertThat(sources).extracting(Connector::sourceId).containsExactly("schwab", "schwab-csv");

        section.put("auth_type", "password");
        assertThatThrownBy(() -> create(section)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("schwab.auth_type: expected oauth2");
    }

    @Test
    void apiEnabledFalseLeavesTheCsvSourceEvenWithApiKeysSet() {
        Map<String, Object> section = bothSources();
        section.put("api_enabled", false);
        section.remove("client_secret");
        assertThat(create(section)).extracting(Connector::sourceId).containsExactly("schwab-csv");
    }

    @Test
    void loginOnACsvOnlySectionSaysTheApiIsOffAndWhichKeysTurnItOn() {
        ConfigSection section = new ConfigSection("schwab", Map.of("csv_fallback",
                Map.of("enabled", true, "directory", exports.toString())));
        assertThatThrownBy(() -> SchwabConnectorProvider.connector(section, context(), SchwabTokenListener.NONE))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("schwab.client_id")
                .hasMessageContaining("schwab.client_secret");
    }

    @Test
    void loginIsNotHeldUpByACsvProblem() {
        Map<String, Object> section = bothSources(Map.of("enabled", true));
        assertThatThrownBy(() -> create(section)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("csv_fallback");
        SchwabConnector schwab = SchwabConnectorProvider.connector(new ConfigSection("schwab", section), context(),
                SchwabTokenListener.NONE);
        assertThat(schwab.sourceId()).isEqualTo("schwab");
    }

    @Test
    void theOriginalHoldingsPathAndTransactionsPathKeysTakeAFileOrAFolder() throws IOException {
        Path txFolder = Files.createDirectories(dir.resolve("tx-only"));
        copy("transactions-sample.csv", txFolder.resolve("a.csv"));
        Connector csv = create(Map.of("csv_fallback", Map.of("enabled", true,
                "holdings_path", exports.resolve(POSITIONS).toString(),
                "transactions_path", txFolder.toString()))).get(0);

        assertThat(csv.authenticate().success()).isTrue();
        assertThat(csv.getHoldings()).extracting(Holding::symbol).contains("SAMPL", "USD");
        assertThat(csv.getTransactions(TransactionQuery.all()).toList()).hasSize(12);

        Connector folders = create(Map.of("csv_fallback", Map.of("enabled", true,
                "holdings_path", exports.toString(), "transactions_path", exports.resolve(TRANSACTIONS).toString())))
                .get(0);
        assertThat(folders.authenticate().success()).isTrue();
        assertThat(folders.getHoldings()).hasSize(4);
        assertThat(folders.getTransactions(TransactionQuery.all()).toList()).hasSize(12);
    }

    @Test
    void bothSpellingsOfOnePathAreRefused() {
        assertThatThrownBy(() -> create(Map.of("csv_fallback", Map.of("enabled", true,
                "positions_file", exports.resolve(POSITIONS).toString(),
                "holdings_path", exports.resolve(POSITIONS).toString()))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("schwab.csv_fallback.holdings_path").hasMessageContaining("not both");
    }

    @Test
    void providerNamesEveryMissingKeyAtOnce() {
        ConfigSection section = new ConfigSection("schwab", Map.of("enabled", true,
                "redirect_uri", "http://example.com/cb", "max_lookback_days", "a year",
                "csv_fallback", Map.of("enabled", true)));
        assertThatThrownBy(() -> new SchwabConnectorProvider().create(section, context()))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .anyMatch(p -> p.contains("schwab.csv_fallback"))
                        .noneMatch(p -> p.contains("client_id")));
        ConfigSection apiOnly = new ConfigSection("schwab", Map.of("enabled", true,
                "redirect_uri", "http://example.com/cb", "max_lookback_days", "a year"));
        assertThatThrownBy(() -> new SchwabConnectorProvider().create(apiOnly, context()))
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
        assertThat(create(Map.of("enabled", false, "client_id", "k"))).isEmpty();
        assertThat(create(Map.of("enabled", false, "csv_fallback", Map.of("enabled", true,
                "directory", exports.toString())))).as("enabled: false turns off both sources").isEmpty();
    }

    @Test
    void nothingEnabledIsAConfigurationError() {
        assertThatThrownBy(() -> create(Map.of("api_enabled", false)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("nothing to import");
    }

    @Test
    void enabledCsvWithoutFilesIsAConfigurationError() {
        assertThatThrownBy(() -> create(Map.of("csv_fallback", Map.of("enabled", true))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("csv_fallback");
    }

    // ------------------------------------------------------------------------------------------- isolation

    @Test
    void expiredAuthorizationFailsTheApiSourceWhileTheCsvSourceReadsItsFiles() {
        storeTokens(tokenFile(), "access-0", NOW.minus(Duration.ofHours(2)), "refresh-1",
                NOW.minus(Duration.ofDays(8)));
        List<Connector> sources = create(bothSources());
        Connector apiSource = byId(sources, "schwab");
        Connector csvSource = byId(sources, "schwab-csv");

        AuthenticationResult apiAuth = apiSource.authenticate();
        assertThat(apiAuth.success()).isFalse();
        assertThat(apiAuth.message()).contains("re-authorize").contains("schwab login").contains("schwab-csv")
                .doesNotContain(CLIENT_SECRET, "refresh-1", "access-0");
        assertThatThrownBy(apiSource::getHoldings).isInstanceOf(DataFetchException.class);
        assertThat(server.getRequestCount()).isZero();

        assertThat(csvSource.authenticate().success()).isTrue();
        assertThat(csvSource.getHoldings()).extracting(Holding::symbol).contains("SAMPL", "USD");
        List<Transaction> txs = csvSource.getTransactions(TransactionQuery.all()).toList();
        assertThat(txs).hasSize(12).extracting(Transaction::date).isSorted();
        assertThat(txs).allMatch(t -> t.source().equals("schwab"));
        assertThat(csvSource.getAccounts()).singleElement()
                .satisfies(a -> assertThat(a.accountId()).isEqualTo("csv:Brokerage ...987"));
        assertThat(csvSource.healthCheck().healthy()).isTrue();
    }

    @Test
    void refreshRefusedBySchwabFailsOnlyTheApiSource() {
        api.set(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return request.getUrl().encodedPath().equals("/v1/oauth/token")
                        ? status(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token expired\"}")
                        : status(401, "{}");
            }
        });
        storeTokens(tokenFile(), "access-0", NOW.minus(Duration.ofMinutes(1)), "refresh-1",
                NOW.minus(Duration.ofDays(2)));
        List<Connector> sources = create(bothSources());

        AuthenticationResult apiAuth = byId(sources, "schwab").authenticate();
        assertThat(apiAuth.success()).isFalse();
        assertThat(apiAuth.message()).contains("re-authorize").doesNotContain(CLIENT_SECRET, "refresh-1");
        Connector csv = byId(sources, "schwab-csv");
        assertThat(csv.authenticate().success()).isTrue();
        assertThat(csv.getTransactions(TransactionQuery.all()).toList()).hasSize(12);
    }

    @Test
    void tokenExpiringMidSessionFailsApiCallsWithoutReadingTheCsvFiles() {
        storeTokens(tokenFile(), "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(10)));
        List<Connector> sources = create(bothSources());
        Connector apiSource = byId(sources, "schwab");
        assertThat(apiSource.authenticate().success()).isTrue();
        clock.advance(Duration.ofMinutes(30));

        assertThatThrownBy(apiSource::getHoldings).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("re-authorize");
        assertThatThrownBy(() -> apiSource.getTransactions(TransactionQuery.all()).toList())
                .isInstanceOf(AuthenticationException.class);
        Connector csv = byId(sources, "schwab-csv");
        assertThat(csv.authenticate().success()).isTrue();
        assertThat(csv.getHoldings()).hasSize(4);
    }

    @Test
    void truncatedCsvFailsTheCsvSourceNamingFileLineAndFieldWhileTheApiSourceSyncs() throws IOException {
        storeTokens(tokenFile(), "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        String sample = resource("csv/transactions-sample.csv");
        // Cut after the quantity of the first trade, as an interrupted download leaves it.
        String cut = sample.substring(0, sample.indexOf("\"100\",") + "\"100\",".length() - 1);
        Files.writeString(exports.resolve(TRANSACTIONS), cut);
        List<Connector> sources = create(bothSources());
        Connector csv = byId(sources, "schwab-csv");
        Connector apiSource = byId(sources, "schwab");

        assertThat(csv.authenticate().success()).isTrue();
        assertThatThrownBy(() -> csv.getTransactions(TransactionQuery.all()).toList())
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining(exports.resolve(TRANSACTIONS).toString())
                .hasMessageContaining("line 3")
                .hasMessageContaining("column 6 (Price)")
                .hasMessageContaining("cut off");

        assertThat(apiSource.authenticate().success()).isTrue();
        assertThat(apiSource.getHoldings()).isNotEmpty().allMatch(h -> h.accountId().equals(HASH));
        assertThat(apiSource.getTransactions(TransactionQuery.since(NOW.minus(Duration.ofDays(200)))).toList())
                .isNotEmpty().allMatch(t -> t.source().equals("schwab"));
    }

    @Test
    void fileCutInsideAQuotedFieldNamesTheOpenField() throws IOException {
        String sample = resource("csv/transactions-sample.csv");
        Files.writeString(exports.resolve(TRANSACTIONS), sample.substring(0, sample.indexOf("$12.00") + 3));
        Connector csv = create(Map.of("csv_fallback", Map.of("enabled", true, "directory", exports.toString())))
                .get(0);
        assertThat(csv.authenticate().success()).isTrue();
        assertThatThrownBy(() -> csv.getTransactions(TransactionQuery.all()).toList())
                .isInstanceOf(DataFetchException.class)
                .hasMessageContaining(TRANSACTIONS).hasMessageContaining("line 3")
                .hasMessageContaining("column 6 (Price)").hasMessageContaining("never closed");
        assertThat(csv.getHoldings()).as("the positions export is intact").hasSize(4);
    }

    @Test
    void apiDownFailsOnlyTheApiSourceAndPointsAtTheCsvSource() {
        api.set(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return status(503, "{\"message\":\"down for maintenance\"}");
            }
        });
        storeTokens(dir.resolve("tokens.enc"), "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        AuthenticationResult result = builder(server, dir.resolve("tokens.enc"), clock)
                .retryPolicy(RetryPolicy.none()).build().authenticate();
        assertThat(result.success()).isFalse();
        assertThat(result.message()).contains("503").contains("csv_fallback");

        SchwabCsvConnector csv = SchwabCsvConnector.of(SchwabCsvFallback.directory(exports), clock);
        assertThat(csv.authenticate().success()).isTrue();
        assertThat(csv.getHoldings()).hasSize(4);
    }

    @Test
    void apiFailingMidSessionThrowsInsteadOfSubstitutingCsvRecords() {
        storeTokens(dir.resolve("tokens.enc"), "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        api.set(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return request.getUrl().encodedPath().endsWith("/accountNumbers")
                        ? json(accountNumbersJson()) : status(502, "{}");
            }
        });
        SchwabConnector schwab = builder(server, dir.resolve("tokens.enc"), clock)
                .retryPolicy(RetryPolicy.none()).build();
        assertThat(schwab.authenticate().success()).isTrue();
        assertThatThrownBy(() -> schwab.getTransactions(TransactionQuery.all()).toList())
                .isInstanceOf(DataFetchException.class).hasMessageContaining("502");
        assertThatThrownBy(schwab::getHoldings).isInstanceOf(DataFetchException.class);
    }

    // ------------------------------------------------------------------------------------------- CSV source

    @Test
    void csvSourceWithoutItsFilesFailsToAuthenticateSayingWhere() {
        Path missing = dir.resolve("no-such-folder");
        SchwabCsvConnector csv = SchwabCsvConnector.of(SchwabCsvFallback.directory(missing), clock);
        AuthenticationResult result = csv.authenticate();
        assertThat(result.success()).isFalse();
        assertThat(result.message()).contains(missing.toString()).contains("schwab.com");
        assertThat(csv.healthCheck().healthy()).isFalse();
    }

    @Test
    void aDisabledCsvSettingBuildsNoSource() {
        assertThatThrownBy(() -> SchwabCsvConnector.of(SchwabCsvFallback.disabled(), clock))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("csv_fallback.enabled");
    }

    @Test
    void aMalformedExportFailsTheWholeImport() throws IOException {
        Files.writeString(exports.resolve("Broken_Transactions.csv"), """
                "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"
                "03/24/2025","Buy","SAMPL","SAMPLE","1","$1.00","","not money"
                """);
        SchwabCsvConnector csv = SchwabCsvConnector.of(SchwabCsvFallback.directory(exports), clock);
        assertThat(csv.authenticate().success()).isTrue();
        assertThatThrownBy(() -> csv.getTransactions(TransactionQuery.all()).toList())
                .isInstanceOf(DataFetchException.class).hasMessageContaining("Broken_Transactions.csv")
                .hasMessageContaining("line 2").hasMessageContaining("Amount");
    }

    @Test
    void overlappingExportsInTheFolderDeduplicate() throws IOException {
        copy("transactions-sample.csv", exports.resolve("Brokerage_Transactions_20250322.csv"));
        SchwabCsvConnector csv = SchwabCsvConnector.of(SchwabCsvFallback.directory(exports), clock);
        assertThat(csv.authenticate().success()).isTrue();
        assertThat(csv.getTransactions(TransactionQuery.since(Instant.parse("2025-03-10T00:00:00Z"))).toList())
                .hasSize(8);
        assertThat(csv.getTransactions(TransactionQuery.all()).toList()).hasSize(12);
    }
}
