package io.foliosync.imports;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.imports.reconcile.Reconciler;
import io.foliosync.imports.reconcile.TransferLinker;
import io.foliosync.imports.reconcile.ReconciliationTolerances;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.secrets.CredentialStore;
import io.foliosync.connectors.api.sink.Sink;
import io.foliosync.imports.config.GlobalSettings;
import io.foliosync.imports.pipeline.Normalizer;
import io.foliosync.imports.pipeline.TransactionPipeline;
import io.foliosync.imports.pipeline.Validator;
import io.foliosync.imports.store.PortfolioStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of import-core: syncs registered sources into a {@link PortfolioStore}.
 *
 * <p>Each sync of a source is an import job: authenticate, fetch accounts and holdings, fetch transactions
 * since the source's cursor page by page, normalize, identify, validate, deduplicate, store each page in one
 * database transaction, and advance the cursor when the job succeeds. Sources run concurrently on a bounded
 * pool; a source already syncing is not started twice. A job runs once: the HTTP layer retried what a retry can
 * fix, and the next scheduled run is a failed job's retry (docs/errors.md).
 *
 * <pre>{@code
 * try (PortfolioStore store = PortfolioStore.open(DatabaseSettings.defaults());
 *      ImportOrchestrator sync = ImportOrchestrator.builder(store).addConnector(kraken).build()) {
 *     SyncReport report = sync.syncAll();
 * }
 * }</pre>
 *
 * <p>Building the orchestrator marks jobs left {@code running} by a process that ended as
 * {@code interrupted}. Closing it stops the pool and closes the connectors; the store stays open (its owner
 * closes it).
 */
@API(status = INTERNAL, since = "0.1")
public final class ImportOrchestrator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImportOrchestrator.class);

    private final PortfolioStore store;
    private final Map<String, Source> sources;
    private final List<Connector> connectors;
    private final ImportListener listener;
    private final Clock clock;
    private final JobRunner runner;
    private final ExecutorService pool;
    private final SinkDeliveries sinks;

    private ImportOrchestrator(Builder b) {
        this.store = b.store;
        this.sources = Map.copyOf(b.sources);
        this.order = List.copyOf(b.sources.keySet());
        this.connectors = List.copyOf(b.connectors);
        this.listener = b.listener;
        this.clock = b.clock;
        TransactionPipeline pipeline = new TransactionPipeline(b.normalizer,
                b.validator != null ? b.validator : Validator.defaults(b.clock));
        this.runner = new JobRunner(b.store, pipeline, b.listener, b.clock, new Reconciler(b.tolerances),
                new TransferLinker(b.transferWindow, b.tolerances), b.syncDeadline);
        this.pool = Executors.newFixedThreadPool(b.maxConcurrency, new NamedThreads());
        this.sinks = new SinkDeliveries(b.store, b.sinks, b.clock);
        runner.alsoWriting(s -> sources.values().stream()
                .filter(o -> !o.id().equals(s.id()) && o.namespace().equals(s.namespace())).map(Source::id)
                .collect(java.util.stream.Collectors.toUnmodifiableSet()));
    }

    /**
     * One job, then the sinks' deliveries of what it stored: still under the source's lock, so a delivery of an
     * account never overlaps the next sync of it (or another delivery of it).
     */
    private JobResult runAndDeliver(Source source, SyncMode mode) {
        return runAndDeliver(source, mode, Optional.empty());
    }

    private JobResult runAndDeliver(Source source, SyncMode mode, Optional<Instant> readFrom) {
        return sinks.deliver(source, runner.run(source, mode, readFrom));
    }

    /** @return the sinks each succeeded job's accounts are delivered to, in registration order */
    public List<Sink> sinks() {
        return sinks.sinks();
    }

    private final List<String> order;

    /** @param store where imported data goes; never null */
    public static Builder builder(PortfolioStore store) {
        return new Builder(store);
    }

    /** @return the registered source ids, in registration order */
    public List<String> sourceIds() {
        return order;
    }

    /**
     * @param idOrSection a source id ({@code kraken}), or a configuration section ({@code crypto_exchanges}),
     *                    meaning every source that section configured
     * @return the matching source ids, in registration order
     * @throws IllegalArgumentException when neither a source nor a section has that name
     */
    public List<String> sourceIds(String idOrSection) {
        if (sources.containsKey(idOrSection)) {
            return List.of(idOrSection);
        }
        List<String> ids = order.stream().filter(id -> sources.get(id).section().equals(idOrSection)).toList();
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no enabled source or section is named '" + idOrSection
                    + "'; sources: " + String.join(", ", order) + "; sections: " + String.join(", ", sections()));
        }
        return ids;
    }

    /** @return the configuration sections of the registered sources, in registration order */
    public List<String> sections() {
        return order.stream().map(id -> sources.get(id).section()).distinct().toList();
    }

    /** @return the section that configured {@code sourceId} */
    public String sectionOf(String sourceId) {
        return source(sourceId).section();
    }

    public PortfolioStore store() {
        return store;
    }

    /**
     * Syncs every source concurrently and waits for all. Never throws for a source's failure: each result says
     * how its job ended; a source already syncing is {@link JobStatus#SKIPPED}.
     */
    public SyncReport syncAll() {
        return syncAll(order);
    }

    /**
     * Syncs the given sources concurrently and waits for all, like {@link #syncAll()}: each is its own job, and
     * one that fails never stops or hides the others.
     *
     * @throws IllegalArgumentException for an unknown source id
     */
    public SyncReport syncAll(Collection<String> sourceIds) {
        return syncAll(sourceIds, SyncMode.INCREMENTAL);
    }

    /**
     * Like {@link #syncAll(Collection)}, reading from each source's cursor or, with
     * {@link SyncMode#FULL_HISTORY}, its whole history (the repair for a gap its reconciliation shows).
     */
    public SyncReport syncAll(Collection<String> sourceIds, SyncMode mode) {
        Objects.requireNonNull(mode, "mode");
        Map<String, Optional<Instant>> from = new LinkedHashMap<>();
        sourceIds.forEach(id -> from.put(id, Optional.empty()));
        return run(from, mode);
    }

    /**
     * Re-reads the named sources' history from where each gap may start (the repair for the gaps their
     * reconciliation shows): from the instant given, or the whole history for an empty one. A source that cannot
     * read a window (a statement file, a Flex query) reads it all. Deduplication keeps the re-read free of
     * duplicates; the accounts are reconciled again.
     *
     * @param readFrom per source id, where its re-read starts
     * @throws IllegalArgumentException for an unknown source id
     */
    public SyncReport repair(Map<String, Optional<Instant>> readFrom) {
        return run(readFrom, SyncMode.FULL_HISTORY);
    }

    private SyncReport run(Map<String, Optional<Instant>> readFrom, SyncMode mode) {
        readFrom.keySet().forEach(this::source);
        Map<String, Future<JobResult>> futures = new LinkedHashMap<>();
        for (Map.Entry<String, Optional<Instant>> e : readFrom.entrySet()) {
            String id = e.getKey();
            futures.put(id, pool.submit(() -> runOrSkip(sources.get(id), mode, e.getValue())));
        }
        List<JobResult> results = new ArrayList<>();
        for (Map.Entry<String, Future<JobResult>> f : futures.entrySet()) {
            results.add(await(f.getKey(), f.getValue()));
        }
        return new SyncReport(results);
    }

    /**
     * Syncs one source and waits for it.
     *
     * @throws SourceBusyException      when the source is already syncing
     * @throws IllegalArgumentException for an unknown source id
     */
    public JobResult sync(String sourceId) {
        return await(sourceId, syncAsync(sourceId));
    }

    /**
     * Checks a source's credentials now, the way a sync starts (the console's "test" button), holding the source's
     * lock so it never runs inside that source's sync, and ends the session after.
     *
     * @throws SourceBusyException      when the source is syncing
     * @throws IllegalArgumentException for an unknown source id
     */
    public AuthenticationResult testCredentials(String sourceId) {
        Source source = source(sourceId);
        return locked(sourceId, () -> {
            try {
                return source.verifyCredentials();
            } finally {
                source.endSession();
            }
        }).orElseThrow(() -> busy(sourceId));
    }

    /** Like {@link #sync(String)}, without waiting; the future fails with {@link SourceBusyException} when busy. */
    public CompletableFuture<JobResult> syncAsync(String sourceId) {
        Source source = source(sourceId);
        return CompletableFuture.supplyAsync(() -> locked(sourceId,
                () -> runAndDeliver(source, SyncMode.INCREMENTAL)).orElseThrow(() -> busy(sourceId)), pool);
    }

    /** Stops the pool (waiting up to 30 s for running jobs) and closes the connectors. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        sinks.close();
        for (Connector c : connectors) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {} failed: {}", c.metadata().name(), e.getMessage());
            }
        }
    }

    private Source source(String sourceId) {
        Source s = sources.get(sourceId);
        if (s == null) {
            throw new IllegalArgumentException("unknown source '" + sourceId + "'; registered: " + order);
        }
        return s;
    }

    private SourceBusyException busy(String sourceId) {
        // A user who sees this usually has a second terminal or a scheduler running foliosync on the same
        // database: naming the database tells them which one holds the account.
        return new SourceBusyException(sourceId, "by another process (or another sync in this one) on "
                + store.location());
    }

    private JobResult await(String sourceId, Future<JobResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Instant now = clock.instant();
            return new JobResult(sourceId, OptionalLong.empty(), JobStatus.INTERRUPTED, ImportCounts.ZERO, 0, 0, 0, 0,
                    now, now, Optional.of("interrupted while waiting"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private JobResult runOrSkip(Source source, SyncMode mode, Optional<Instant> readFrom) {
        return locked(source.id(), () -> runAndDeliver(source, mode, readFrom)).orElseGet(() -> {
            Instant now = clock.instant();
            JobResult r = new JobResult(source.id(), OptionalLong.empty(), JobStatus.SKIPPED, ImportCounts.ZERO, 0, 0,
                    0, 0, now, now, Optional.of(busy(source.id()).getMessage()));
            JobRunner.notify(() -> listener.jobFinished(r));
            return r;
        });
    }

    /**
     * The one place a source's lock is taken: runs {@code work} holding it, so that no two syncs of a source, nor a
     * sync and a credentials test, overlap, in this process or in another on the same database.
     *
     * @return what {@code work} returned; empty, without running it, when the source is busy
     */
    private <T> Optional<T> locked(String sourceId, Supplier<T> work) {
        Optional<PortfolioStore.SourceLock> lock = store.tryLockSource(sourceId);
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try (PortfolioStore.SourceLock ignored = lock.get()) {
            return Optional.of(work.get());
        }
    }

    private static final class NamedThreads implements ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "foliosync-import-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** Configures an {@link ImportOrchestrator}. */
    public static final class Builder {
        private final PortfolioStore store;
        private final Map<String, Source> sources = new LinkedHashMap<>();
        private final List<Connector> connectors = new ArrayList<>();
        private ImportListener listener = ImportListener.NONE;
        private Clock clock = Clock.systemUTC();
        private Normalizer normalizer = Normalizer.defaults();
        private Validator validator;
        private int maxConcurrency = 4;
        private Duration syncDeadline = GlobalSettings.DEFAULT_SYNC_DEADLINE;
        private int pluginPageSize = 1000;
        private ReconciliationTolerances tolerances = ReconciliationTolerances.defaults();
        private Duration transferWindow = TransferLinker.DEFAULT_WINDOW;
        private final List<Sink> sinks = new ArrayList<>();

        private Builder(PortfolioStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Registers a connector as the source {@link Connector#sourceId()}, in a section named after
         * {@code metadata().name()}; the orchestrator closes it.
         */
        public Builder addConnector(Connector connector) {
            return addConnector(Objects.requireNonNull(connector, "connector").metadata().name(), connector);
        }

        /**
         * Registers a connector as the source {@link Connector#sourceId()} of configuration section
         * {@code section}; the orchestrator closes it.
         */
        public Builder addConnector(String section, Connector connector) {
            Objects.requireNonNull(section, "section");
            Objects.requireNonNull(connector, "connector");
            add(new Source.ConnectorSource(section, connector));
            connectors.add(connector);
            return this;
        }

        public Builder addConnectors(Collection<? extends Connector> all) {
            all.forEach(this::addConnector);
            return this;
        }

        /** Registers a bank plugin under {@code metadata().id()} with its credentials. */
        public Builder addPlugin(BankIntegrationPlugin plugin, Map<String, String> credentials) {
            Map<String, String> copy = Map.copyOf(credentials);
            add(new Source.PluginSource(Objects.requireNonNull(plugin, "plugin"), () -> copy, pluginPageSize));
            return this;
        }

        /**
         * Registers a bank plugin whose credentials are read from {@code credentials} (under the plugin id) at the
         * start of every job.
         */
        public Builder addPlugin(BankIntegrationPlugin plugin, CredentialStore credentials) {
            Objects.requireNonNull(plugin, "plugin");
            Objects.requireNonNull(credentials, "credentials");
            String id = plugin.metadata().id();
            add(new Source.PluginSource(plugin, () -> credentials.load(id).orElseThrow(() ->
                    new ConfigurationException(id, "plugins." + id + ": no stored credentials; save them first")),
                    pluginPageSize));
            return this;
        }

        private void add(Source s) {
            if (sources.putIfAbsent(s.id(), s) != null) {
                throw new IllegalArgumentException("two sources share the id '" + s.id() + "'");
            }
        }

        /**
         * Registers a sink: after each succeeded job, it receives each synced account's new and changed records
         * ({@code docs/sinks.md}); the orchestrator closes it.
         *
         * @throws IllegalArgumentException when another sink has its id
         */
        public Builder addSink(Sink sink) {
            Objects.requireNonNull(sink, "sink");
            if (sinks.stream().anyMatch(s -> s.id().equals(sink.id()))) {
                throw new IllegalArgumentException("two sinks share the id '" + sink.id() + "'");
            }
            sinks.add(sink);
            return this;
        }

        public Builder listener(ImportListener v) {
            listener = Objects.requireNonNull(v, "listener");
            return this;
        }

        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /**
         * The tolerances of the reconciliation that follows each succeeded job; defaults to
         * {@link ReconciliationTolerances#defaults()}.
         */
        public Builder reconciliationTolerances(ReconciliationTolerances v) {
            tolerances = Objects.requireNonNull(v, "tolerances");
            return this;
        }

        /**
         * How long after a withdrawal the deposit it became may arrive at another account and still be linked to it
         * by asset and amount ({@link TransferLinker}, after each succeeded job); default 48 hours.
         *
         * @throws IllegalArgumentException unless positive and at most {@link TransferLinker#MAX_WINDOW}
         */
        public Builder transferLinkWindow(Duration v) {
            transferWindow = new TransferLinker(v, tolerances).window();
            return this;
        }

        public Builder normalizer(Normalizer v) {
            normalizer = Objects.requireNonNull(v, "normalizer");
            return this;
        }

        /** Defaults to {@link Validator#defaults(Clock)} with this builder's clock. */
        public Builder validator(Validator v) {
            validator = Objects.requireNonNull(v, "validator");
            return this;
        }

        /** How many sources sync at once (default 4). */
        public Builder maxConcurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConcurrency must be at least 1 but was " + n);
            }
            maxConcurrency = n;
            return this;
        }

        /**
         * @param deadline how long one source's sync may take, every HTTP retry included (default
         *                 {@link GlobalSettings#DEFAULT_SYNC_DEADLINE}); past it the job fails with a
         *                 {@link io.foliosync.connectors.api.DeadlineExceededException} naming the source
         */
        public Builder syncDeadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("syncDeadline must be positive but was " + deadline);
            }
            this.syncDeadline = deadline;
            return this;
        }

        /**
         * Applies the sync deadline, concurrency, symbol aliases and the transfer link window from the {@code global} section of
         * the configuration.
         */
        public Builder settings(GlobalSettings global) {
            syncDeadline(global.syncDeadline());
            global.transferLinkWindow().ifPresent(this::transferLinkWindow);
            maxConcurrency(global.maxConcurrentSyncs());
            normalizer(Normalizer.withAliases(global.symbolAliases()));
            return this;
        }

        /**
         * Builds the orchestrator and marks jobs a dead process left {@code running} as {@code interrupted}.
         */
        public ImportOrchestrator build() {
            int stale = store.interruptStaleJobs(clock.instant());
            if (stale > 0) {
                LOG.warn("{} import jobs left running by an ended process were marked interrupted", stale);
            }
            return new ImportOrchestrator(this);
        }
    }
}
