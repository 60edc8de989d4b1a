package io.foliosync.imports;

import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.imports.config.DataSourcesConfig;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.config.DotEnv;
import io.foliosync.imports.config.GlobalSettings;
import io.foliosync.imports.pipeline.Validator;
import io.foliosync.imports.schedule.SyncScheduler;
import io.foliosync.imports.store.DatabaseCredentialStore;
import io.foliosync.imports.store.PortfolioStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FolioSync in one call: loads {@code data_sources.yaml}, opens the portfolio database, loads the master key,
 * creates every enabled connector through the {@link ConnectorProvider}s on the class path and builds the
 * {@link ImportOrchestrator}.
 *
 * <pre>{@code
 * try (FolioSync fs = FolioSync.fromConfig(Path.of("config/data_sources.yaml"))) {
 *     SyncReport report = fs.syncAll();
 * }
 * }</pre>
 *
 * <p>The master key comes from {@code FOLIOSYNC_MASTER_KEY} (environment, then {@code .env}) or the
 * {@code global.master_key_file} (created owner-only when missing). Relative paths of the {@code global} section
 * ({@code database_path}, {@code data_directory}, {@code master_key_file}) resolve against the process working
 * directory unless {@link Builder#baseDirectory(Path)} names another. {@link #close()} stops the scheduler (when
 * one was asked for), the orchestrator and its connectors, then the database. Thread-safe.
 */
public final class FolioSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FolioSync.class);

    private final DataSourcesConfig config;
    private final PortfolioStore store;
    private final SecretCipher cipher;
    private final ImportOrchestrator orchestrator;
    private SyncScheduler scheduler;
    private boolean closed;

    private FolioSync(DataSourcesConfig config, PortfolioStore store, SecretCipher cipher,
                      ImportOrchestrator orchestrator) {
        this.config = config;
        this.store = store;
        this.cipher = cipher;
        this.orchestrator = orchestrator;
    }

    /**
     * Opens FolioSync on {@code yamlFile} with the process environment and the {@code .env} file beside the YAML
     * file (else in the working directory), when one exists.
     *
     * @throws io.foliosync.connectors.api.ConfigurationException naming every configuration problem
     * @throws StoreException when the database cannot be opened or migrated
     */
    public static FolioSync fromConfig(Path yamlFile) {
        return builder(yamlFile).build();
    }

    /**
     * @param environment the variables {@code ${VAR}} and {@code FOLIOSYNC_MASTER_KEY} are read from first
     * @param dotEnv      a {@code KEY=value} file read for variables the environment lacks
     * @see #fromConfig(Path)
     */
    public static FolioSync fromConfig(Path yamlFile, Map<String, String> environment, Optional<Path> dotEnv) {
        return builder(yamlFile).environment(environment).dotEnv(dotEnv).build();
    }

    /** @return a builder for everything else: clock, listener, extra connectors and plugins, providers */
    public static Builder builder(Path yamlFile) {
        return new Builder(yamlFile);
    }

    /** Syncs every source concurrently; see {@link ImportOrchestrator#syncAll()}. */
    public SyncReport syncAll() {
        return orchestrator.syncAll();
    }

    /**
     * Syncs one source; see {@link ImportOrchestrator#sync(String)}.
     *
     * @throws SourceBusyException      when the source is already syncing
     * @throws IllegalArgumentException for an unknown source id
     */
    public JobResult sync(String sourceId) {
        return orchestrator.sync(sourceId);
    }

    /**
     * Syncs the named sources concurrently and waits for all; see {@link ImportOrchestrator#syncAll(Collection)}.
     *
     * @param idsOrSections source ids ({@code kraken}) or configuration sections ({@code crypto_exchanges},
     *                      meaning all their sources)
     * @throws IllegalArgumentException naming an id that is neither a source nor a section
     */
    public SyncReport sync(Collection<String> idsOrSections) {
        List<String> ids = new ArrayList<>();
        idsOrSections.forEach(n -> ids.addAll(orchestrator.sourceIds(n)));
        return orchestrator.syncAll(ids);
    }

    /** @return the source ids, connectors of the configuration first, in its order */
    public List<String> sourceIds() {
        return orchestrator.sourceIds();
    }

    /** @return the portfolio database (closed by {@link #close()}) */
    public PortfolioStore store() {
        return store;
    }

    public ImportOrchestrator orchestrator() {
        return orchestrator;
    }

    public DataSourcesConfig config() {
        return config;
    }

    /** @return the encrypted {@code plugin_configs} credentials, under the loaded master key */
    public DatabaseCredentialStore credentials() {
        return store.credentials(cipher);
    }

    /**
     * @return the scheduler for this configuration's {@code sync_frequency} values, built on first call and not
     *         started: call {@link SyncScheduler#start()}; {@link #close()} stops it
     */
    public synchronized SyncScheduler scheduler() {
        if (closed) {
            throw new IllegalStateException("FolioSync is closed");
        }
        if (scheduler == null) {
            scheduler = SyncScheduler.builder(orchestrator).fromConfig(config).build();
        }
        return scheduler;
    }

    /** Stops the scheduler, the orchestrator (closing the connectors) and the database. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (scheduler != null) {
                scheduler.close();
            }
        } finally {
            try {
                orchestrator.close();
            } finally {
                store.close();
            }
        }
    }

    /** Configures {@link FolioSync}; every setting is optional. */
    public static final class Builder {
        private final Path yamlFile;
        private Map<String, String> environment;
        private Optional<Path> dotEnv;
        private Path baseDirectory;
        private Clock clock = Clock.systemUTC();
        private ImportListener listener = ImportListener.NONE;
        private Collection<ConnectorProvider> providers;
        private RateLimiterRegistry rateLimiters = RateLimiterRegistry.shared();
        private final List<Connector> connectors = new ArrayList<>();
        private final Map<BankIntegrationPlugin, Optional<Map<String, String>>> plugins = new LinkedHashMap<>();

        private Builder(Path yamlFile) {
            this.yamlFile = Objects.requireNonNull(yamlFile, "yamlFile");
        }

        /** The variables read first (default: the process environment). */
        public Builder environment(Map<String, String> v) {
            environment = Map.copyOf(v);
            return this;
        }

        /** A {@code .env} file for variables the environment lacks (default: beside the YAML file, when present). */
        public Builder dotEnv(Optional<Path> v) {
            dotEnv = Objects.requireNonNull(v, "dotEnv");
            return this;
        }

        /** What relative paths of the {@code global} section resolve against (default: the working directory). */
        public Builder baseDirectory(Path v) {
            baseDirectory = Objects.requireNonNull(v, "baseDirectory");
            return this;
        }

        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        public Builder listener(ImportListener v) {
            listener = Objects.requireNonNull(v, "listener");
            return this;
        }

        /** The providers that build connectors (default: those {@link java.util.ServiceLoader} finds). */
        public Builder providers(Collection<? extends ConnectorProvider> v) {
            providers = List.copyOf(v);
            return this;
        }

        /** The registry connectors share rate limits through (default: the process-wide one). */
        public Builder rateLimiters(RateLimiterRegistry v) {
            rateLimiters = Objects.requireNonNull(v, "rateLimiters");
            return this;
        }

        /** A connector built by the caller, synced after the configured ones and closed with FolioSync. */
        public Builder addConnector(Connector v) {
            connectors.add(Objects.requireNonNull(v, "connector"));
            return this;
        }

        /** A bank plugin whose credentials are read from {@code plugin_configs} (see {@link #credentials()}). */
        public Builder addPlugin(BankIntegrationPlugin v) {
            plugins.put(Objects.requireNonNull(v, "plugin"), Optional.empty());
            return this;
        }

        /** A bank plugin with its credentials. */
        public Builder addPlugin(BankIntegrationPlugin v, Map<String, String> credentials) {
            plugins.put(Objects.requireNonNull(v, "plugin"), Optional.of(Map.copyOf(credentials)));
            return this;
        }

        /**
         * Loads the configuration, opens the database, loads the master key, creates the connectors and builds the
         * orchestrator. On any failure whatever was opened is closed again.
         *
         * @throws io.foliosync.connectors.api.ConfigurationException naming every configuration problem
         * @throws StoreException when the database cannot be opened or migrated
         */
        public FolioSync build() {
            Map<String, String> env = environment != null ? environment : System.getenv();
            Optional<Path> envFile = dotEnv != null ? dotEnv : DotEnv.beside(yamlFile);
            DataSourcesConfig config = DataSourcesConfig.load(yamlFile, env, envFile);
            Map<String, String> vars = new HashMap<>();
            envFile.ifPresent(p -> vars.putAll(DotEnv.read(p)));
            vars.putAll(env);

            GlobalSettings global = config.global();
            DatabaseSettings database = global.database();
            Optional<Path> sqlite = database.sqliteFile();
            if (sqlite.isPresent() && !sqlite.get().isAbsolute() && baseDirectory != null) {
                database = DatabaseSettings.sqlite(resolve(sqlite.get()));
            }
            List<DataSourcesConfig.ConfiguredConnector> created = List.of();
            PortfolioStore store = PortfolioStore.open(database);
            try {
                SecretCipher cipher = SecretCipher.of(MasterKey.load(vars, resolve(global.masterKeyFile())));
                ConnectorContext context = new ConnectorContext(clock, resolve(global.dataDirectory()), cipher,
                        rateLimiters);
                created = providers != null ? config.createSources(context, providers)
                        : config.createSources(context);
                ImportOrchestrator.Builder b = ImportOrchestrator.builder(store)
                        .settings(global)
                        .clock(clock)
                        .validator(Validator.builder().clock(clock).knownCurrencies(global.knownCurrencies()).build())
                        .listener(listener);
                created.forEach(c -> b.addConnector(c.section(), c.connector()));
                b.addConnectors(connectors);
                DatabaseCredentialStore credentials = store.credentials(cipher);
                plugins.forEach((plugin, creds) -> {
                    if (creds.isPresent()) {
                        b.addPlugin(plugin, creds.get());
                    } else {
                        b.addPlugin(plugin, credentials);
                    }
                });
                ImportOrchestrator orchestrator = b.build();
                LOG.info("FolioSync ready: {} sources from {} ({})", orchestrator.sourceIds().size(), yamlFile,
                        database.redactedUrl());
                return new FolioSync(config, store, cipher, orchestrator);
            } catch (RuntimeException e) {
                for (DataSourcesConfig.ConfiguredConnector c : created) {
                    closeQuietly(c.connector());
                }
                connectors.forEach(FolioSync::closeQuietly);
                store.close();
                throw e;
            }
        }

        private Path resolve(Path p) {
            return p.isAbsolute() || baseDirectory == null ? p : baseDirectory.resolve(p);
        }

    }

    private static void closeQuietly(Connector c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.warn("closing {} failed: {}", c.metadata().name(), e.getMessage());
        }
    }
}
