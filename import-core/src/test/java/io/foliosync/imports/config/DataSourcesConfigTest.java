package io.foliosync.imports.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.imports.FakeConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path p = dir.resolve("data_sources.yaml");
        Files.writeString(p, text);
        return p;
    }

    private ConnectorContext context() {
        return new ConnectorContext(Clock.systemUTC(), dir, SecretCipher.of(MasterKey.generate()),
                RateLimiterRegistry.isolated());
    }

    @Test
    void shippedDataSourcesYamlLoadsWithoutAnyVariableSet() {
        Path shipped = Path.of("..", "config", "data_sources.yaml");
        DataSourcesConfig config = DataSourcesConfig.load(shipped, Map.of(), Optional.empty());

        GlobalSettings g = config.global();
        assertThat(g.syncFrequency()).isEqualTo(SyncFrequency.DAILY);
        assertThat(g.database().jdbcUrl()).isEqualTo("jdbc:sqlite:data/foliosync.db");
        assertThat(g.symbolAliases()).containsEntry("XBT", "BTC");
        assertThat(config.warnings()).isEmpty();
        assertThat(config.syncFrequency("crypto_exchanges", "kraken", List.of())).isEqualTo(SyncFrequency.HOURLY);
        assertThat(config.syncFrequency("schwab", "schwab", List.of())).isEqualTo(SyncFrequency.DAILY);
        assertThat(config.sourceSections()).contains("crypto_exchanges", "interactive_brokers", "schwab",
                "market_data");
    }

    @Test
    void variablesComeFromTheEnvironmentFirstThenTheDotEnvFile() throws IOException {
        Path env = dir.resolve(".env");
        Files.writeString(env, "# comment\nKRAKEN_API_KEY=from-file\nexport KRAKEN_API_SECRET=\"s3cr3t-file\"\n"
                + "DB=other.db # trailing comment\n");
        Path p = yaml("""
                global:
                  database_path: ${DB}
                  max_concurrent_syncs: ${CONCURRENT:-5}
                crypto_exchanges:
                  kraken:
                    enabled: true
                    api_key: ${KRAKEN_API_KEY}
                    api_secret: ${KRAKEN_API_SECRET}
                """);

        DataSourcesConfig config = DataSourcesConfig.load(p, Map.of("KRAKEN_API_KEY", "from-env"), Optional.of(env));

        ConfigSection kraken = config.section("crypto_exchanges").section("kraken");
        assertThat(kraken.string("api_key")).contains("from-env");
        assertThat(kraken.secret("api_secret").orElseThrow().reveal()).isEqualTo("s3cr3t-file");
        assertThat(config.global().maxConcurrentSyncs()).isEqualTo(5);
        assertThat(config.global().database().jdbcUrl()).isEqualTo("jdbc:sqlite:other.db");
        assertThat(config.toString()).doesNotContain("s3cr3t-file").doesNotContain("from-env");
    }

    @Test
    void anUnsetVariableIsNoErrorUntilASourceRequiresItAndThenItIsNamed() throws IOException {
        Path p = yaml("""
                crypto_exchanges:
                  kraken:
                    enabled: true
                    api_key: ${KRAKEN_API_KEY}
                    api_secret: ${KRAKEN_API_SECRET}
                  binance:
                    enabled: false
                    api_secret: ${BINANCE_API_SECRET}
                interactive_brokers:
                  auth_type: gateway
                  jwt_token: ${IBKR_JWT_TOKEN}
                """);

        // loading never demands a secret: only the provider knows whether the source is on and uses the key
        DataSourcesConfig config = DataSourcesConfig.load(p, Map.of("KRAKEN_API_KEY", "k"), Optional.empty());

        ConfigSection kraken = config.section("crypto_exchanges").section("kraken");
        assertThat(kraken.unsetVariables("api_secret")).containsExactly("KRAKEN_API_SECRET");
        assertThat(kraken.unsetVariables("api_key")).isEmpty();
        ConfigSection.Requirements req = kraken.require();
        req.secret("api_secret");
        assertThat(req.problems()).containsExactly("crypto_exchanges.kraken.api_secret: missing: "
                + "${KRAKEN_API_SECRET} is not set in the environment or .env");
        assertThat(config.section("interactive_brokers").unsetVariables("jwt_token")).containsExactly("IBKR_JWT_TOKEN");
    }

    @Test
    void invalidGlobalValuesAreReportedAllAtOnce() throws IOException {
        Path p = yaml("""
                global:
                  sync_frequency: fortnightly
                  max_concurrent_syncs: 0
                  sync_deadline: perhaps
                """);

        assertThatThrownBy(() -> DataSourcesConfig.load(p, Map.of(), Optional.empty()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anyMatch(s -> s.startsWith("global.sync_frequency:"))
                        .anyMatch(s -> s.startsWith("global.max_concurrent_syncs:"))
                        .anyMatch(s -> s.startsWith("global.sync_deadline:")));
    }

    @Test
    void theRetiredJobRetryKeysStillLoadWithAWarningThatSaysWhyTheyDoNothing() throws IOException {
        Path p = yaml("""
                global:
                  retry_on_failure: true
                  max_retries: 3
                  retry_backoff: 2s
                """);

        DataSourcesConfig config = DataSourcesConfig.load(p, Map.of(), Optional.empty());

        assertThat(config.warnings()).hasSize(3).allSatisfy(w -> assertThat(w)
                .contains("no longer retries a whole import job").contains("docs/errors.md"))
                .anyMatch(w -> w.startsWith("global.max_retries:"))
                .anyMatch(w -> w.startsWith("global.retry_on_failure:"))
                .anyMatch(w -> w.startsWith("global.retry_backoff:"));
    }

    @Test
    void transferLinkWindowIsReadAndAnOutOfRangeOneIsRefusedWithItsKey() throws IOException {
        Path ok = yaml("""
                global:
                  transfer_link_window: 72h
                """);
        assertThat(DataSourcesConfig.load(ok, Map.of(), Optional.empty()).global().transferLinkWindow())
                .contains(java.time.Duration.ofHours(72));
        assertThat(GlobalSettings.defaults().transferLinkWindow()).isEmpty();

        for (String bad : List.of("0s", "P31D", "PT-1H")) {
            Path p = yaml("""
                    global:
                      transfer_link_window: %s
                    """.formatted(bad));
            assertThatThrownBy(() -> DataSourcesConfig.load(p, Map.of(), Optional.empty()))
                    .as(bad).isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                            .singleElement().asString().startsWith("global.transfer_link_window:")
                            .contains("at most 30 days"));
        }
    }

    @Test
    void syncDeadlineIsReadAndANonPositiveOneIsRefusedWithItsKey() throws IOException {
        Path ok = yaml("""
                global:
                  sync_deadline: 45m
                """);
        assertThat(DataSourcesConfig.load(ok, Map.of(), Optional.empty()).global().syncDeadline())
                .isEqualTo(java.time.Duration.ofMinutes(45));
        assertThat(GlobalSettings.defaults().syncDeadline()).isEqualTo(java.time.Duration.ofHours(2));

        for (String bad : List.of("0s", "PT-1H", "soon")) {
            Path p = yaml("""
                    global:
                      sync_deadline: %s
                    """.formatted(bad));
            assertThatThrownBy(() -> DataSourcesConfig.load(p, Map.of(), Optional.empty()))
                    .as(bad).isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                            .singleElement().asString().startsWith("global.sync_deadline:"));
        }
    }

    @Test
    void unknownKeysAndSectionsWarnButLoad() throws IOException {
        Path p = yaml("""
                global:
                  sync_frequncy: daily
                bogus_section:
                  x: 1
                """);

        DataSourcesConfig config = DataSourcesConfig.load(p, Map.of(), Optional.empty());

        assertThat(config.warnings()).anyMatch(w -> w.startsWith("global.sync_frequncy: unknown key"))
                .anyMatch(w -> w.startsWith("bogus_section: unknown section"));
    }

    @Test
    void invalidYamlNamesTheFile() throws IOException {
        Path p = yaml("global: [unclosed");
        assertThatThrownBy(() -> DataSourcesConfig.load(p, Map.of(), Optional.empty()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("data_sources.yaml")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void eachSectionGoesToItsProviderAndProblemsOfAllProvidersAreCollected() throws IOException {
        Path p = yaml("""
                crypto_exchanges:
                  kraken:
                    enabled: true
                    api_key: k
                    base_url: http://127.0.0.1:1
                market_data:
                  tiingo:
                    enabled: true
                """);
        List<ConfigSection> seen = new ArrayList<>();
        ConnectorProvider crypto = provider("crypto_exchanges", section -> {
            seen.add(section);
            return List.of(new FakeConnector("kraken"));
        });
        ConnectorProvider market = provider("market_data", section -> {
            ConfigSection.Requirements req = section.section("tiingo").require();
            req.secret("api_key");
            req.validate();
            return List.of();
        });
        DataSourcesConfig config = DataSourcesConfig.load(p, Map.of(), Optional.empty());

        assertThatThrownBy(() -> config.createConnectors(context(), List.of(crypto, market)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("market_data.tiingo.api_key: missing"));
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("crypto_exchanges");
            assertThat(s.section("kraken").string("base_url")).contains("http://127.0.0.1:1");
        });

        List<Connector> built = config.createConnectors(context(), List.of(crypto));
        assertThat(built).extracting(c -> c.metadata().name()).containsExactly("kraken");
    }

    private static ConnectorProvider provider(String name,
                                              java.util.function.Function<ConfigSection, List<Connector>> create) {
        return new ConnectorProvider() {
            @Override
            public String configSection() {
                return name;
            }

            @Override
            public List<Connector> create(ConfigSection section, ConnectorContext context) {
                return create.apply(section);
            }
        };
    }
}
