package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.imports.ConfigCheck;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.imports.config.SyncFrequency;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each key group of the original system's layout changes what FolioSync builds, end to end through
 * {@link FolioSync.Builder} (what the CLI and an application both use). The providers' own tests cover the rest
 * at module level: crypto's {@code exchanges.<id>} and section switch, IBKR's account maps, market data's
 * disabled providers and cache durations, the plugins section's parsing.
 *
 * <p>Every {@code base_url} is loopback and nothing is synced except files: building FolioSync does no network.
 */
class SeedKeysTakeEffectTest {
    private static final String KRAKEN_SECRET = "a3Jha2VuLXNlZWQtdGVzdA==";
    private static final String UNREACHABLE = "http://127.0.0.1:9";

    @TempDir
    Path dir;

    private Path yaml(String body) throws IOException {
        Path config = dir.resolve("data_sources.yaml");
        Files.writeString(config, """
                global:
                  sync_frequency: daily
                  cache_duration: 300
                  database_path: %1$s/foliosync.db
                  data_directory: %1$s/data
                  master_key_file: %1$s/master.key
                """.formatted(dir) + body);
        return config;
    }

    /** The variables come from this map alone: the developer's environment and any .env play no part. */
    private static FolioSync.Builder builder(Path config, Map<String, String> env) {
        return FolioSync.builder(config).environment(env).dotEnv(Optional.empty()).baseDirectory(config.getParent());
    }

    private static String crypto(boolean sectionEnabled) {
        return """
                crypto_exchanges:
                  enabled: %s
                  sync_frequency: hourly
                  exchanges:
                    kraken:
                      enabled: true
                      api_key: "${KRAKEN_API_KEY}"
                      api_secret: "${KRAKEN_API_SECRET}"
                      base_url: %s
                    binance:
                      enabled: false
                      api_key: "${BINANCE_API_KEY}"
                      api_secret: "${BINANCE_API_SECRET}"
                      sandbox: false
                """.formatted(sectionEnabled, UNREACHABLE);
    }

    private static final String IBKR = """
            interactive_brokers:
              enabled: true
              auth_type: gateway
              base_url: "https://127.0.0.1:9/v1/api"
              jwt_token: "${IBKR_JWT_TOKEN}"
              accounts:
                - account_id: "${IBKR_ACCOUNT_ID}"
                  sync: true
                  sync_frequency: weekly
                  transaction_lookback_days: 90
                - account_id: U7654321
                  sync: false
                  sync_frequency: hourly
            """;

    private static final Map<String, String> KEYS = Map.of("KRAKEN_API_KEY", "kraken-key",
            "KRAKEN_API_SECRET", KRAKEN_SECRET, "IBKR_ACCOUNT_ID", "U1234567");

    @Test
    void sectionAndAccountSyncFrequenciesReachTheSchedulerForTheirOwnSources() throws Exception {
        Path config = yaml(crypto(true) + IBKR);

        try (FolioSync fs = builder(config, KEYS).build()) {
            // binance is off, and U7654321 has sync: false
            assertThat(fs.sourceIds()).containsExactly("kraken", "ibkr-U1234567");
            assertThat(fs.scheduler().frequencies())
                    .containsEntry("kraken", SyncFrequency.HOURLY)
                    .containsEntry("ibkr-U1234567", SyncFrequency.WEEKLY)
                    .doesNotContainKey("ibkr-U7654321");
        }
    }

    @Test
    void aDisabledCryptoSectionTurnsOffAnAccountThatIsItselfEnabledAndAsksForNoKey() throws Exception {
        Path config = yaml(crypto(false));

        ConfigCheck check = builder(config, Map.of()).check();

        assertThat(check.problems()).isEmpty();
        assertThat(check.sources()).isEmpty();
    }

    @Test
    void sandboxIsReadForEachExchange() throws Exception {
        // Binance's testnet has no /sapi endpoints: sandbox there needs a base_url, so the key is checked
        Path config = yaml(crypto(true).replace("enabled: false", "enabled: true")
                .replace("sandbox: false", "sandbox: true"));

        ConfigCheck check = builder(config, Map.of("KRAKEN_API_KEY", "k", "KRAKEN_API_SECRET", KRAKEN_SECRET,
                "BINANCE_API_KEY", "b", "BINANCE_API_SECRET", "s")).check();

        assertThat(check.problems()).anySatisfy(p -> assertThat(p).contains("binance").contains("sandbox"));
    }

    @Test
    void globalCacheDurationReachesTheConnectorsAsTheirResponseCacheLifetime() throws Exception {
        Path config = yaml("""
                capture:
                  enabled: true
                """);
        AtomicReference<ConnectorContext> seen = new AtomicReference<>();
        ConnectorProvider capturing = new ConnectorProvider() {
            @Override
            public String configSection() {
                return "capture";
            }

            @Override
            public List<Connector> create(ConfigSection section, ConnectorContext context) {
                seen.set(context);
                return List.of();
            }
        };

        try (FolioSync fs = builder(config, Map.of()).providers(List.of(capturing)).build()) {
            assertThat(seen.get()).as("the provider was called").isNotNull();
            assertThat(seen.get().responseCacheTtl()).contains(Duration.ofSeconds(300));
            assertThat(FolioSyncInternals.connectorContext(fs).responseCacheTtl()).contains(Duration.ofSeconds(300));
        }
    }

    @Test
    void ibkrJwtAuthenticationDemandsTheJwtTokenNamingItsVariableWhileGatewayDoesNot() throws Exception {
        Path gateway = yaml(IBKR);
        assertThat(builder(gateway, KEYS).check().problems()).isEmpty();

        Path jwt = yaml(IBKR.replace("auth_type: gateway", "auth_type: jwt"));
        assertThat(builder(jwt, KEYS).check().problems()).containsExactly(
                "interactive_brokers.jwt_token: missing: ${IBKR_JWT_TOKEN} is not set in the environment or .env");

        Map<String, String> withToken = new java.util.HashMap<>(KEYS);
        withToken.put("IBKR_JWT_TOKEN", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln");
        ConfigCheck check = builder(jwt, withToken).check();
        assertThat(check.problems()).isEmpty();
        assertThat(check.sources()).extracting(ConfigCheck.CheckedSource::sourceId).containsExactly("ibkr-U1234567");
    }

    @Test
    void schwabCsvFallbackPathsAreTheFilesTheCsvSourceImports() throws Exception {
        Path samples = Path.of("src", "main", "resources", "demo", "schwab").toAbsolutePath();
        Path config = yaml("""
                schwab:
                  enabled: true
                  auth_type: oauth2
                  client_id: "${SCHWAB_CLIENT_ID}"
                  client_secret: "${SCHWAB_CLIENT_SECRET}"
                  redirect_uri: "http://localhost:5000/auth/schwab/callback"
                  csv_fallback:
                    enabled: true
                    holdings_path: "%s"
                    transactions_path: "%s"
                """.formatted(samples.resolve("positions-sample.csv"), samples.resolve("transactions-sample.csv")));

        try (FolioSync fs = builder(config, Map.of("SCHWAB_CLIENT_ID", "client-id", "SCHWAB_CLIENT_SECRET",
                "client-secret")).build()) {
            assertThat(fs.sourceIds()).containsExactly("schwab", "schwab-csv");
            JobResult csv = fs.sync("schwab-csv");
            assertThat(csv.succeeded()).as(csv.error().orElse("")).isTrue();
            assertThat(csv.counts().imported()).as("transactions from transactions_path").isPositive();
            assertThat(csv.holdings()).as("positions from holdings_path").isPositive();
        }
    }

    private static final String MARKET_DATA = """
            market_data:
              primary_provider: yahoo
              fallback_providers:
                - yahoo
                - alpha_vantage
              tiingo:
                enabled: false
                api_key: "${TIINGO_API_KEY}"
                cache_duration: 3600
              yahoo_finance:
                enabled: true
                cache_duration: 600
              alpha_vantage:
                enabled: false
                api_key: "${ALPHA_VANTAGE_KEY}"
                rate_limit: 5
            """;

    @Test
    void disabledMarketDataProvidersNeedNoKeyAndAnEnabledOneDemandsItsVariable() throws Exception {
        Path config = yaml(MARKET_DATA);
        ConfigCheck check = builder(config, Map.of()).check();
        assertThat(check.problems()).isEmpty();
        assertThat(check.sources()).extracting(ConfigCheck.CheckedSource::sourceId).containsExactly("market_data");

        Path alphaOn = yaml(MARKET_DATA.replace("alpha_vantage:\n    enabled: false",
                "alpha_vantage:\n    enabled: true"));
        assertThat(Files.readString(alphaOn)).contains("alpha_vantage:\n    enabled: true");
        assertThat(builder(alphaOn, Map.of()).check().problems()).singleElement().asString()
                .contains("market_data.alpha_vantage.api_key", "${ALPHA_VANTAGE_KEY}");
    }

    @Test
    void pluginsEnabledFalseLoadsNoneAndAutoLoadLoadsTheNamedPluginFromPluginDirectory() throws Exception {
        Path built = Path.of("target", "plugins").toAbsolutePath();
        assumeTrue(Files.isRegularFile(built.resolve("bank-plugin-chase.jar")),
                "the bank plugin jars are copied to target/plugins by the build (process-resources); not present");
        String plugins = """
                plugins:
                  enabled: %s
                  plugin_directory: "%s"
                  auto_load: [chase]
                """;

        try (FolioSync off = builder(yaml(plugins.formatted(false, built)), Map.of()).build()) {
            assertThat(off.sourceIds()).isEmpty();
        }
        try (FolioSync on = builder(yaml(plugins.formatted(true, built)), Map.of()).build()) {
            assertThat(on.sourceIds()).containsExactly("chase");
        }
    }
}
