package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.imports.ConfigCheck;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.ImportListener;
import io.foliosync.imports.config.DataSourcesConfig;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.config.DotEnv;
import io.foliosync.imports.config.GlobalSettings;
import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.imports.query.PortfolioQuery;
import io.foliosync.imports.store.JdbcPortfolioStore;
import io.foliosync.plugins.BankPluginConnectorProvider;
import io.foliosync.plugins.PluginManager;
import io.foliosync.plugins.PluginsSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a command works on, from the configuration file and the command-line overrides. Everything that syncs,
 * values or stores credentials goes through one {@link FolioSync}, built by {@code FolioSync.builder} exactly as
 * a Java application builds it (configuration, {@code .env} beside it or in the working directory, master key,
 * store, every connector provider on the class path, bank plugins, market data); the commands that only read
 * the database open just the store. Opened lazily, closed together.
 */
final class Workspace implements AutoCloseable {
    private final CommonOptions options;
    private final Map<String, String> env;
    private final Optional<DataSourcesConfig> config;
    private final GlobalSettings global;
    private final Optional<DatabaseSettings> databaseOverride;
    // One budget per workspace: a command is one process's worth of calls to each provider.
    private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.isolated();
    private FolioSync folio;
    private JdbcPortfolioStore store;
    private PluginManager plugins;

    private Workspace(CommonOptions options, Map<String, String> env, Optional<DataSourcesConfig> config,
                      Optional<DatabaseSettings> databaseOverride) {
        this.options = options;
        this.env = env;
        this.config = config;
        this.global = config.map(DataSourcesConfig::global).orElse(GlobalSettings.defaults());
        this.databaseOverride = databaseOverride;
    }

    /**
     * @param requireConfig whether a missing configuration file is an error (sync) or the defaults do (status)
     */
    static Workspace open(CommonOptions options, boolean requireConfig, Map<String, String> env) {
        Optional<DataSourcesConfig> config = Optional.empty();
        if (Files.isRegularFile(options.config)) {
            config = Optional.of(DataSourcesConfig.load(options.config, env, DotEnv.beside(options.config)));
        } else if (requireConfig) {
            throw new ConfigurationException(null, "configuration file " + options.config + " not found: copy "
                    + "config/data_sources.yaml from the FolioSync repository, or pass --config FILE");
        }
        return new Workspace(options, env, config, Optional.ofNullable(options.database).map(Workspace::databaseFrom));
    }

    static DatabaseSettings databaseFrom(String value) {
        return value.startsWith("jdbc:") ? new DatabaseSettings(value, Optional.empty(), Optional.empty(),
                Optional.empty(), 4) : DatabaseSettings.sqlite(Path.of(value));
    }

    DataSourcesConfig config() {
        return config.orElseThrow(() -> new ConfigurationException(null, "no configuration file"));
    }

    /** @return whether a configuration file was found */
    boolean hasConfig() {
        return config.isPresent();
    }

    Clock clock() {
        return folio != null ? FolioSyncInternals.connectorContext(folio).clock() : Clock.systemUTC();
    }

    /** The builder every command that needs FolioSync starts from: the same one an application uses. */
    private FolioSync.Builder builder() {
        FolioSync.Builder b = FolioSync.builder(options.config).environment(env).rateLimiters(rateLimiters);
        // the file open() read: parsed once per run
        config.ifPresent(b::loaded);
        databaseOverride.ifPresent(b::database);
        return b;
    }

    /** @return FolioSync on this configuration, built on first use; sync progress goes to {@code listener} */
    FolioSync folio(ImportListener listener) {
        if (folio == null) {
            config();
            folio = builder().listener(listener).build();
        }
        return folio;
    }

    FolioSync folio() {
        return folio(ImportListener.NONE);
    }

    /** @return the configuration checked as a sync would read it, with nothing written to disk */
    ConfigCheck check() {
        return builder().check();
    }

    /**
     * @return the database, read-only: FolioSync's once it is open, else the store alone, for commands that only
     *         read
     */
    PortfolioQuery query() {
        return folio != null ? folio.query() : jdbcStore().readOnly();
    }

    /**
     * @return the plugin manager of the configuration's {@code plugins} section, with the encrypted credential
     *         store of its database; without a configuration file, one over the class path and a {@code plugins}
     *         folder that stores no credentials
     */
    PluginManager plugins() {
        if (plugins == null) {
            PluginsSection section = PluginsSection.parse(config.map(DataSourcesConfig::plugins)
                    .orElse(ConfigSection.empty(PluginsSection.NAME)));
            ConnectorContext context = config.isPresent() ? FolioSyncInternals.connectorContext(folio())
                    : new ConnectorContext(Clock.systemUTC(), global.dataDirectory(),
                            io.foliosync.connectors.api.secrets.SecretCipher.of(
                                    io.foliosync.connectors.api.secrets.MasterKey.generate()), rateLimiters);
            plugins = BankPluginConnectorProvider.manager(section, context);
        }
        return plugins;
    }

    /**
     * @return the variables FolioSync reads the master key from, as {@code FolioSync.builder} merges them: the
     *         {@code .env} beside the configuration, overridden by the environment
     */
    Map<String, String> variables() {
        Map<String, String> vars = new java.util.HashMap<>();
        DotEnv.beside(options.config).ifPresent(p -> vars.putAll(DotEnv.read(p)));
        vars.putAll(env);
        return vars;
    }

    /** @return the master key file of the configuration (relative to the working directory, as FolioSync reads it) */
    Path masterKeyFile() {
        return global.masterKeyFile();
    }

    /**
     * @return the database as its JDBC store, opened alone (no master key, no connectors), for what reads the
     *         database without syncing and for what works on every portfolio's rows at once (the master key is one
     *         per database)
     */
    JdbcPortfolioStore jdbcStore() {
        if (store == null) {
            store = JdbcPortfolioStore.open(databaseOverride.orElse(global.database()));
        }
        return store;
    }

    /** @return the files FolioSync keeps encrypted under the master key: Schwab's token store, when configured */
    List<io.foliosync.imports.MasterKeyRotation.EncryptedFile> encryptedFiles() {
        String schwab = io.foliosync.connectors.schwab.SchwabConnectorProvider.SECTION;
        if (config.isEmpty() || !config.get().sourceSections().contains(schwab)) {
            return List.of();
        }
        return List.of(new io.foliosync.imports.MasterKeyRotation.EncryptedFile(
                io.foliosync.connectors.schwab.SchwabConnectorProvider.tokenStore(config.get().section(schwab),
                        global.dataDirectory()),
                io.foliosync.connectors.schwab.internal.TokenStore.CONTEXT));
    }

    /** @return the plugin ids the configuration enables */
    List<String> enabledPlugins() {
        return config.map(c -> PluginsSection.parse(c.plugins()).ids()).orElse(List.of());
    }

    @Override
    public void close() {
        try {
            if (plugins != null) {
                plugins.close();
            }
        } finally {
            try {
                if (folio != null) {
                    folio.close();
                }
            } finally {
                if (store != null) {
                    store.close();
                }
            }
        }
    }
}
