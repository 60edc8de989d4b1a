package io.foliosync.imports;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.Connector;
import java.nio.file.Files;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.api.sink.Sink;
import io.foliosync.connectors.api.sink.SinkProvider;
import io.foliosync.imports.config.DataSourcesConfig;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.config.DotEnv;
import io.foliosync.imports.config.GlobalSettings;
import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.imports.pipeline.Validator;
import io.foliosync.imports.query.PortfolioQuery;
import io.foliosync.imports.schedule.SyncScheduler;
import io.foliosync.imports.store.DatabaseCredentialStore;
import io.foliosync.imports.store.JdbcPortfolioStore;
import io.foliosync.imports.store.PortfolioStore;
import java.util.function.Function;
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
import org.apiguardian.api.API;
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
@API(status = STABLE, since = "0.1")
public final class FolioSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FolioSync.class);

    static {
        FolioSyncInternals.install(new Internals());
    }

    private final DataSourcesConfig config;
    private final JdbcPortfolioStore store;
    private final PortfolioQuery query;
    private final SecretCipher cipher;
    private final ImportOrchestrator orchestrator;
    private final ConnectorContext context;
    private final List<Connector> marketData;
    private final List<ConnectorProvider> providers;
    private final Function<PortfolioStore, ImportOrchestrator.Builder> orchestrators;
    private SyncScheduler scheduler;
    private Portfolios portfolios;
    private io.foliosync.imports.history.ValueHistory valueHistory;
    private final List<ClusteredSync> clusters = new ArrayList<>();
    private boolean closed;

    private FolioSync(DataSourcesConfig config, JdbcPortfolioStore store, SecretCipher cipher,
                      ImportOrchestrator orchestrator, ConnectorContext context, List<Connector> marketData,
                      List<ConnectorProvider> providers,
                      Function<PortfolioStore, ImportOrchestrator.Builder> orchestrators) {
        this.config = config;
        this.store = store;
        this.query = store.readOnly();
        this.cipher = cipher;
        this.orchestrator = orchestrator;
        this.context = context;
        this.marketData = List.copyOf(marketData);
        this.providers = List.copyOf(providers);
        this.orchestrators = orchestrators;
    }

    /**
     * Opens FolioSync on {@code yamlFile} with the process environment and the {@code .env} file beside the YAML
     * file (else in the working directory), when one exists.
     *
     * @throws io.foliosync.connectors.api.ConfigurationException naming every configuration problem
     * @throws io.foliosync.imports.store.StoreException when the database cannot be opened or migrated
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
        return new Builder(Objects.requireNonNull(yamlFile, "yamlFile"));
    }

    /**
     * @return a builder without a configuration file: every default (the database {@code data/foliosync.db}, the
     *         master key {@code data/master.key}), no configured source; for a program that adds its own
     *         connectors with {@link Builder#addConnector}
     */
    public static Builder builder() {
        return new Builder(null);
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
        return sync(idsOrSections, SyncMode.INCREMENTAL);
    }

    /**
     * Like {@link #sync(Collection)}; {@link SyncMode#FULL_HISTORY} re-reads the named accounts' whole history
     * (deduplication keeps it free of duplicates) and reconciles them again.
     */
    public SyncReport sync(Collection<String> idsOrSections, SyncMode mode) {
        List<String> ids = new ArrayList<>();
        idsOrSections.forEach(n -> ids.addAll(orchestrator.sourceIds(n)));
        return orchestrator.syncAll(ids, mode);
    }

    /**
     * Repairs gaps: re-reads each named source from where its gaps may start, or its whole history for an empty
     * instant (see {@link ImportOrchestrator#repair}), then reconciles its accounts again.
     *
     * @param readFrom per source id (not a section), where its re-read starts
     */
    public SyncReport repair(Map<String, Optional<java.time.Instant>> readFrom) {
        return orchestrator.repair(readFrom);
    }

    /** @return the source ids, connectors of the configuration first, in its order */
    public List<String> sourceIds() {
        return orchestrator.sourceIds();
    }

    /**
     * @param idOrSection a source id ({@code kraken}), or a configuration section ({@code crypto_exchanges}),
     *                    meaning every source that section configured
     * @return the matching source ids, in registration order
     * @throws IllegalArgumentException when neither a source nor a section has that name
     */
    public List<String> sourceIds(String idOrSection) {
        return orchestrator.sourceIds(idOrSection);
    }

    /** @return the configuration sections of the sources, in registration order */
    public List<String> sections() {
        return orchestrator.sections();
    }

    /**
     * Checks a source's credentials now, the way a sync starts, holding the source's lock so it never runs inside
     * that source's sync, and ends the session after.
     *
     * @throws SourceBusyException      when the source is syncing
     * @throws IllegalArgumentException for an unknown source id
     */
    public AuthenticationResult testCredentials(String sourceId) {
        return orchestrator.testCredentials(sourceId);
    }

    /**
     * @return what the database holds, read-only (accounts, holdings, transactions in keyset pages, jobs,
     *         reconciliation, transfers, rejected records); valid until {@link #close()}
     */
    public PortfolioQuery query() {
        return query;
    }

    /** The store with its writes: the importer's, and this package's tests'; callers outside read {@link #query()}. */
    JdbcPortfolioStore store() {
        return store;
    }

    /**
     * @return the market-data connectors the configuration enables (prices and FX for valuation), authenticated
     *         by the caller before use; they are not sync sources: they have nothing to import. Closed with this.
     */
    public List<Connector> marketData() {
        return marketData;
    }

    /**
     * @return the portfolio's value per day, per account and in total, from the imported history and daily closes
     *         (extended after each sync when read); the caller supplies today's valuation and where closes come from
     */
    public synchronized io.foliosync.imports.history.ValueHistory valueHistory() {
        if (valueHistory == null) {
            valueHistory = io.foliosync.imports.history.ValueHistory.of(store, context.clock());
        }
        return valueHistory;
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
            scheduler = SyncScheduler.builder(orchestrator).fromConfig(config, providers).build();
        }
        return scheduler;
    }

    /**
     * @return the portfolios this database serves besides the configuration file's (which is the portfolio
     *         {@code default}): register them, add their sources with encrypted credentials, sync them
     * @throws UnsupportedOperationException on SQLite, the embedded store of the single-user mode: several
     *                                       portfolios need PostgreSQL
     */
    public synchronized Portfolios portfolios() {
        if (closed) {
            throw new IllegalStateException("FolioSync is closed");
        }
        if (portfolios == null) {
            if (store.settings().isSqlite()) {
                throw new UnsupportedOperationException("portfolios need PostgreSQL: " + store.location()
                        + " is the embedded single-user store (see docs/scaling.md)");
            }
            portfolios = new Portfolios(store, cipher, context, providers, orchestrators, Clock.systemUTC());
        }
        return portfolios;
    }

    /**
     * @return this process's instance of the sync cluster of {@link #portfolios()}, not started: call
     *         {@link ClusteredSync#start()}; {@link #close()} stops it
     * @throws UnsupportedOperationException on SQLite
     */
    public synchronized ClusteredSync cluster(ClusterSettings settings) {
        ClusteredSync cluster = new ClusteredSync(portfolios(), settings);
        clusters.add(cluster);
        return cluster;
    }

    /** Stops the scheduler, the orchestrator (closing the connectors) and the database. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            clusters.forEach(ClusteredSync::close);
            if (scheduler != null) {
                scheduler.close();
            }
        } finally {
            try {
                orchestrator.close();
                marketData.forEach(FolioSync::closeQuietly);
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
        private List<SinkProvider> sinkProviders;
        private RateLimiterRegistry rateLimiters = RateLimiterRegistry.shared();
        private boolean sharedRateLimits;
        private final List<Connector> connectors = new ArrayList<>();
        private DatabaseSettings database;
        private final Map<BankIntegrationPlugin, Optional<Map<String, String>>> plugins = new LinkedHashMap<>();
        private DataSourcesConfig loaded;

        private Builder(Path yamlFile) {
            this.yamlFile = yamlFile;
        }

        /** The variables read first (default: the process environment). */
        public Builder environment(Map<String, String> v) {
            environment = Map.copyOf(v);
            return this;
        }

        /**
         * Uses {@code config}, already loaded from this builder's file with the same variables, instead of reading the
         * file again: for an application (the CLI) that read it first to decide what to do, so one run parses it once
         * and cannot see two versions of a file edited in between.
         *
         * @throws IllegalArgumentException when {@code config} was loaded from another file
         */
        public Builder loaded(DataSourcesConfig config) {
            Objects.requireNonNull(config, "config");
            if (yamlFile == null || !config.file().toAbsolutePath().normalize()
                    .equals(yamlFile.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("the configuration was loaded from " + config.file()
                        + ", not from this builder's " + yamlFile);
            }
            loaded = config;
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

        /**
         * The registry connectors share rate limits through (default: the process-wide one). Internal: the registry
         * is connector support code, for FolioSync's own tools and tests; applications choose
         * {@link #sharedRateLimits(boolean)}.
         */
        @API(status = INTERNAL, since = "0.1")
        public Builder rateLimiters(RateLimiterRegistry v) {
            rateLimiters = Objects.requireNonNull(v, "rateLimiters");
            return this;
        }

        /**
         * Whether limits that every FolioSync process spends together (a market-data key used for every portfolio,
         * per-IP limits such as Binance's request weight) are counted in the PostgreSQL database, so several
         * instances on one database stay within them together (default: no, counted in this process). Per-key
         * exchange limits stay in-process either way. Needs a PostgreSQL database: {@link #build()} fails with a
         * {@link io.foliosync.connectors.api.ConfigurationException} on SQLite. Replaces
         * {@link #rateLimiters(RateLimiterRegistry)}.
         */
        public Builder sharedRateLimits(boolean v) {
            sharedRateLimits = v;
            return this;
        }

        /** The database to use instead of the configuration's ({@code foliosync --db}). */
        public Builder database(DatabaseSettings v) {
            database = Objects.requireNonNull(v, "database");
            return this;
        }

        /** A connector built by the caller, synced after the configured ones and closed with FolioSync. */
        public Builder addConnector(Connector v) {
            connectors.add(Objects.requireNonNull(v, "connector"));
            return this;
        }

        /** A bank plugin whose credentials are read from the database's encrypted {@code plugin_configs}. */
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
         * @throws io.foliosync.imports.store.StoreException when the database cannot be opened or migrated
         */
        public FolioSync build() {
            Loaded loaded = load();
            DataSourcesConfig config = loaded.config();
            GlobalSettings global = config.global();
            DatabaseSettings db = databaseSettings(global);
            List<DataSourcesConfig.ConfiguredConnector> created = List.of();
            List<Sink> sinks = List.of();
            JdbcPortfolioStore store = JdbcPortfolioStore.open(db);
            try {
                // a missing key file is replaced only while nothing is stored under the key it held
                SecretCipher cipher = SecretCipher.of(MasterKey.load(loaded.vars(), resolve(global.masterKeyFile()),
                        () -> DatabaseCredentialStore.storedCount(store)));
                RateLimiterRegistry registry = sharedRateLimits
                        ? store.sharedRateLimiters() : rateLimiters;
                ConnectorContext context = context(global, cipher, registry).withCredentials(store.credentials(cipher));
                List<ConnectorProvider> using = providers();
                created = config.createSources(context, using);
                Clock clock = this.clock;
                ImportListener listener = this.listener;
                Function<PortfolioStore, ImportOrchestrator.Builder> orchestrators = s -> ImportOrchestrator.builder(s)
                        .settings(global)
                        .clock(clock)
                        .validator(Validator.builder().clock(clock).knownCurrencies(global.knownCurrencies()).build())
                        .listener(listener);
                ImportOrchestrator.Builder b = orchestrators.apply(store);
                List<Connector> marketData = new ArrayList<>();
                for (DataSourcesConfig.ConfiguredConnector c : created) {
                    // prices and FX for valuation: nothing to import, so not a sync source
                    if (c.connector().metadata().type() == ConnectorType.MARKET_DATA) {
                        marketData.add(c.connector());
                    } else {
                        b.addConnector(c.section(), c.connector());
                    }
                }
                b.addConnectors(connectors);
                sinks = config.createSinks(context, sinkProviders());
                sinks.forEach(b::addSink);
                DatabaseCredentialStore credentials = store.credentials(cipher);
                plugins.forEach((plugin, creds) -> {
                    if (creds.isPresent()) {
                        b.addPlugin(plugin, creds.get());
                    } else {
                        b.addPlugin(plugin, credentials);
                    }
                });
                ImportOrchestrator orchestrator = b.build();
                LOG.info("FolioSync ready: {} sources from {} ({})", orchestrator.sourceIds().size(), config.file(),
                        db.redactedUrl());
                return new FolioSync(config, store, cipher, orchestrator, context, marketData, using, orchestrators);
            } catch (RuntimeException e) {
                for (DataSourcesConfig.ConfiguredConnector c : created) {
                    closeQuietly(c.connector());
                }
                connectors.forEach(FolioSync::closeQuietly);
                sinks.forEach(FolioSync::closeQuietly);
                store.close();
                throw e;
            }
        }

        /**
         * Checks the configuration the way {@link #build()} reads it (environment, {@code .env}, every provider,
         * every source it enables) and changes nothing on disk: no database, master key or folder is created.
         * Each source is built and closed again.
         *
         * @return what {@link #build()} would sync, or the problems that stop it
         */
        public ConfigCheck check() {
            Loaded loaded;
            try {
                loaded = load();
            } catch (io.foliosync.connectors.api.ConfigurationException e) {
                return new ConfigCheck(Optional.empty(), List.of(), e.problems(), false);
            }
            GlobalSettings global = loaded.config().global();
            Path keyFile = resolve(global.masterKeyFile());
            boolean keyExists = !loaded.vars().getOrDefault(MasterKey.ENV, "").isBlank() || Files.exists(keyFile);
            // nothing is decrypted or stored during a check: a key held in memory stands in for one not made yet
            SecretCipher cipher = SecretCipher.of(keyExists ? MasterKey.load(loaded.vars(), keyFile)
                    : MasterKey.generate());
            List<ConfigCheck.CheckedSource> sources = new ArrayList<>();
            try {
                for (DataSourcesConfig.ConfiguredConnector c : loaded.config().createSources(context(global, cipher,
                        rateLimiters),
                        providers())) {
                    sources.add(new ConfigCheck.CheckedSource(c.section(), c.connector().sourceId(),
                            c.connector().metadata().type()));
                    closeQuietly(c.connector());
                }
            } catch (io.foliosync.connectors.api.ConfigurationException e) {
                return new ConfigCheck(Optional.of(loaded.config()), List.of(), e.problems(), keyExists);
            }
            List<String> sinkIds = new ArrayList<>();
            try {
                for (Sink sink : loaded.config().createSinks(context(global, cipher, rateLimiters), sinkProviders())) {
                    sinkIds.add(sink.id());
                    closeQuietly(sink);
                }
            } catch (io.foliosync.connectors.api.ConfigurationException e) {
                return new ConfigCheck(Optional.of(loaded.config()), sources, e.problems(), keyExists);
            }
            return new ConfigCheck(Optional.of(loaded.config()), sources, List.of(), keyExists, sinkIds);
        }

        /** The configuration with its variables: the environment first, then {@code .env}. */
        private record Loaded(DataSourcesConfig config, Map<String, String> vars) {
        }

        private Loaded load() {
            Map<String, String> env = environment != null ? environment : System.getenv();
            Optional<Path> envFile = dotEnv != null ? dotEnv
                    : yamlFile != null ? DotEnv.beside(yamlFile) : DotEnv.beside(Path.of("data_sources.yaml"));
            DataSourcesConfig config = loaded != null ? loaded
                    : yamlFile != null ? DataSourcesConfig.load(yamlFile, env, envFile) : DataSourcesConfig.empty();
            Map<String, String> vars = new HashMap<>();
            envFile.ifPresent(p -> vars.putAll(DotEnv.read(p)));
            vars.putAll(env);
            return new Loaded(config, vars);
        }

        private DatabaseSettings databaseSettings(GlobalSettings global) {
            if (database != null) {
                return database;
            }
            DatabaseSettings db = global.database();
            Optional<Path> sqlite = db.sqliteFile();
            if (sqlite.isPresent() && !sqlite.get().isAbsolute() && baseDirectory != null) {
                db = DatabaseSettings.sqlite(resolve(sqlite.get()));
            }
            return db;
        }

        private ConnectorContext context(GlobalSettings global, SecretCipher cipher, RateLimiterRegistry registry) {
            ConnectorContext context = new ConnectorContext(clock, resolve(global.dataDirectory()), cipher, registry);
            return global.cacheDuration().map(context::withResponseCacheTtl).orElse(context);
        }

        /** The providers that build sinks (default: those {@link java.util.ServiceLoader} finds). */
        public Builder sinkProviders(Collection<? extends SinkProvider> v) {
            sinkProviders = List.copyOf(v);
            return this;
        }

        private List<SinkProvider> sinkProviders() {
            return sinkProviders != null ? sinkProviders : DataSourcesConfig.discoverSinkProviders();
        }

        private List<ConnectorProvider> providers() {
            return providers != null ? List.copyOf(providers) : DataSourcesConfig.discoverProviders();
        }

        private Path resolve(Path p) {
            return p.isAbsolute() || baseDirectory == null ? p : baseDirectory.resolve(p);
        }

    }

    private static void closeQuietly(Sink s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.warn("closing sink {} failed: {}", s.id(), e.getMessage());
        }
    }

    private static void closeQuietly(Connector c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.warn("closing {} failed: {}", c.metadata().name(), e.getMessage());
        }
    }

    /**
     * The wiring the bundled CLI and console build their own tools from (a plugin manager, a Schwab login on the
     * same context): reachable through {@link FolioSyncInternals} only, which no application is meant to call.
     */
    private static final class Internals implements FolioSyncInternals.Access {
        @Override
        public DataSourcesConfig config(FolioSync f) {
            return f.config;
        }

        @Override
        public ConnectorContext connectorContext(FolioSync f) {
            return f.context;
        }

        @Override
        public DatabaseCredentialStore credentials(FolioSync f) {
            return f.store.credentials(f.cipher);
        }
    }
}
