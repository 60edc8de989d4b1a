package io.foliosync.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code plugins} section, in FolioSync's layout and the original system's, as sources of import-core. */
class BankPluginConnectorProviderTest {
    @TempDir
    Path tmp;
    private EncryptingMemoryCredentialStore credentials;
    private ConnectorContext context;

    @BeforeEach
    void setUp() throws Exception {
        TestJars.plugin("alpha-bank").writeJar(tmp.resolve("plugins/alpha.jar"));
        TestJars.plugin("beta-bank").writeJar(tmp.resolve("plugins/beta.jar"));
        SecretCipher cipher = SecretCipher.of(MasterKey.generate());
        credentials = new EncryptingMemoryCredentialStore(cipher);
        context = new ConnectorContext(Clock.systemUTC(), tmp.resolve("data"), cipher, RateLimiterRegistry.isolated())
                .withCredentials(credentials);
    }

    private List<Connector> create(Map<String, Object> values) {
        return new BankPluginConnectorProvider().create(new ConfigSection("plugins", values), context);
    }

    @Test
    void serviceLoaderFindsTheProviderForThePluginsSection() {
        assertThat(ServiceLoader.load(ConnectorProvider.class).stream().map(ServiceLoader.Provider::get))
                .anyMatch(p -> p instanceof BankPluginConnectorProvider && p.configSection().equals("plugins"));
    }

    @Test
    void enabledIdsAreEachTheirOwnSourceWithStoredCredentials() {
        credentials.save("beta-bank", Map.of("statement_dir", "/statements", "password", "pw"));
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("directory", tmp.resolve("plugins").toString());
        section.put("enabled", List.of("beta-bank"));
        section.put("classpath", false);
        List<Connector> sources = create(section);
        try {
            assertThat(sources).extracting(Connector::sourceId).containsExactly("beta-bank");
            Connector beta = sources.get(0);
            assertThat(beta.metadata().type()).isEqualTo(ConnectorType.BANK);
            assertThat(beta.authenticate().message()).as("credentials read from the store")
                    .isEqualTo("/statements|pw|null");
        } finally {
            sources.forEach(Connector::close);
        }
        assertThat(System.getProperty("plugin-test.logout.beta-bank")).as("closing logs the plugin out")
                .isEqualTo("true");
    }

    @Test
    void theOriginalSystemsLayoutLoadsTheAutoLoadIds() {
        Map<String, Object> seed = new LinkedHashMap<>();
        seed.put("enabled", true);
        seed.put("plugin_directory", tmp.resolve("plugins").toString());
        seed.put("auto_load", List.of("alpha-bank", "beta-bank"));
        List<Connector> sources = create(seed);
        try {
            assertThat(sources).extracting(Connector::sourceId).containsExactly("alpha-bank", "beta-bank");
        } finally {
            sources.forEach(Connector::close);
        }
        seed.put("auto_load", List.of());
        assertThat(create(seed)).as("the seed as written: nothing to auto-load").isEmpty();
        seed.put("auto_load", List.of("alpha-bank"));
        seed.put("enabled", false);
        assertThat(create(seed)).as("the plugin system switched off").isEmpty();
    }

    @Test
    void aFolderThatDoesNotExistIsNoError() {
        assertThat(create(Map.of("enabled", true, "plugin_directory", "src/plugins/bank_plugins", "auto_load",
                List.of()))).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsAnErrorNamingTheKeyNeverAPluginId() {
        assertThatThrownBy(() -> create(Map.of("enabled", Map.of("chase", true))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("plugins.enabled: expected true/false or a list")));
        assertThatThrownBy(() -> create(Map.of("auto_load", true)))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("plugins.auto_load: expected a list")));
        assertThatThrownBy(() -> create(Map.of("enabled", List.of(false))))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("plugins.enabled[0]: expected a plugin id")));
    }

    @Test
    void anUnknownPluginIdIsAnErrorNamingIt() {
        assertThatThrownBy(() -> create(Map.of("directory", tmp.resolve("plugins").toString(), "enabled",
                List.of("gamma-bank"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("gamma-bank");
    }
}
