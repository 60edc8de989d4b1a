package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.imports.config.DataSourcesConfig;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.config.GlobalSettings;
import io.foliosync.imports.store.DatabaseCredentialStore;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.plugins.PluginManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a command needs, built from the configuration file and the command-line overrides: the
 * database, the master key, the connector context and the plugin manager. Opened lazily, closed together.
 */
final class Workspace implements AutoCloseable {
    private final Optional<DataSourcesConfig> config;
    private final GlobalSettings global;
    private final DatabaseSettings database;
    private final Clock clock;
    // One budget per workspace: a command is one process's worth of calls to each provider.
    private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.isolated();
    private PortfolioStore store;
    private SecretCipher cipher;
    private PluginManager plugins;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    // `config check` must leave the disk as it found it: no data directory, no master key, no database
    private boolean readOnly;

    private Workspace(Optional<DataSourcesConfig> config, DatabaseSettings database, Clock clock) {
        this.config = config;
        this.global = config.map(DataSourcesConfig::global).orElse(GlobalSettings.defaults());
        this.database = database;
        this.clock = clock;
    }

    /**
     * @param requireConfig whether a missing configuration file is an error (sync) or the defaults do (status)
     */
    static Workspace open(CommonOptions options, boolean requireConfig, Map<String, String> env) {
        Optional<DataSourcesConfig> config = Optional.empty();
        if (Files.isRegularFile(options.config)) {
            config = Optional.of(DataSourcesConfig.load(options.config, env, Optional.empty()));
        } else if (requireConfig) {
            throw new ConfigurationException(null, "configuration file " + options.config + " not found: copy "
                    + "config/data_sources.yaml from the FolioSync repository, or pass --config FILE");
        }
        GlobalSettings global = config.map(DataSourcesConfig::global).orElse(GlobalSettings.defaults());
        DatabaseSettings db = options.database == null ? global.database() : databaseFrom(options.database);
        return new Workspace(config, db, Clock.systemUTC());
    }

    static DatabaseSettings databaseFrom(String value) {
        return value.startsWith("jdbc:") ? new DatabaseSettings(value, Optional.empty(), Optional.empty(),
                Optional.empty(), 4) : DatabaseSettings.sqlite(Path.of(value));
    }

    DataSourcesConfig config() {
        return config.orElseThrow(() -> new ConfigurationException(null, "no configuration file"));
    }

    Optional<DataSourcesConfig> configIfPresent() {
        return config;
    }

    GlobalSettings global() {
        return global;
    }

    Clock clock() {
        return clock;
    }

    PortfolioStore store() {
        if (readOnly) {
            throw new IllegalStateException("read-only workspace: opening the database could create it");
        }
        if (store == null) {
            database.sqliteFile().map(Path::toAbsolutePath).map(Path::getParent).ifPresent(Workspace::mkdirs);
            store = PortfolioStore.open(database);
        }
        return store;
    }

    /** From now on nothing is created: no directory, no master key file; {@link #store()} is refused. */
    Workspace readOnly() {
        readOnly = true;
        return this;
    }

    /** @return whether a master key exists: in {@code FOLIOSYNC_MASTER_KEY} or the key file */
    boolean masterKeyExists() {
        String env = System.getenv(MasterKey.ENV);
        return env != null && !env.isBlank() || Files.exists(global.masterKeyFile());
    }

    SecretCipher cipher() {
        if (cipher == null) {
            // Read-only with no key yet: connectors are only built and validated, nothing is decrypted or
            // stored, so a key that lives in memory only stands in for the one sync will create.
            cipher = SecretCipher.of(readOnly && !masterKeyExists() ? MasterKey.generate()
                    : MasterKey.load(System.getenv(), global.masterKeyFile()));
        }
        return cipher;
    }

    ConnectorContext connectorContext() {
        if (!readOnly) {
            mkdirs(global.dataDirectory());
        }
        return new ConnectorContext(clock, global.dataDirectory(), cipher(), rateLimiters);
    }

    /** @return the connectors the configuration enables; the workspace closes them */
    List<Connector> connectors() {
        return sources().stream().map(DataSourcesConfig.ConfiguredConnector::connector).toList();
    }

    /** @return the sources the configuration enables, one per account, with their sections; closed here */
    List<DataSourcesConfig.ConfiguredConnector> sources() {
        List<DataSourcesConfig.ConfiguredConnector> sources = config().createSources(connectorContext());
        sources.forEach(c -> closeables.add(c.connector()));
        return sources;
    }

    DatabaseCredentialStore credentials() {
        return store().credentials(cipher());
    }

    PluginManager plugins() {
        if (plugins == null) {
            PluginManager.Builder b = PluginManager.builder().credentialStore(credentials())
                    .classpathDiscovery(config.map(c -> c.plugins().bool("classpath", true)).orElse(true));
            config.map(c -> c.plugins().string("directory", "plugins")).map(Path::of).filter(Files::isDirectory)
                    .ifPresent(b::pluginDirectory);
            config.map(c -> c.plugins().strings("trusted_sha256")).filter(l -> !l.isEmpty())
                    .ifPresent(b::trustedDigests);
            plugins = b.build();
        }
        return plugins;
    }

    /** @return the plugin ids the configuration enables */
    List<String> enabledPlugins() {
        return config.map(c -> c.plugins().strings("enabled")).orElse(List.of());
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create directory " + dir, e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Workspace.class).warn("closing {} failed: {}", c, e.toString());
            }
        }
        if (plugins != null) {
            plugins.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
