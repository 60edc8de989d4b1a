package io.foliosync.imports;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.secrets.CredentialStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of import-core: syncs registered sources into a {@link PortfolioStore}.
 *
 * <p>Each sync of a source is an import job: authenticate, fetch accounts and holdings, fetch transactions
 * since the source's cursor page by page, normalize, validate, deduplicate, store each page in one database
 * transaction, and advance the cursor when the job succeeds. Sources run concurrently on a bounded pool; a
 * source already syncing is not started twice. A failed job is retried with exponential backoff when
 * configured.
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
public final class ImportOrchestrator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImportOrchestrator.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final PortfolioStore store;
    private final Map<String, Source> sources;
    private final List<Connector> connectors;
    private final ImportListener listener;
    private final Clock clock;
    private final Normalizer normalizer;
    private final Validator validator;
    private final boolean retryOnFailure;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final ExecutorService pool;

    private ImportOrchestrator(Builder b) {
        this.store = b.store;
        this.sources = Map.copyOf(b.sources);
        this.order = List.copyOf(b.sources.keySet());
        this.connectors = List.copyOf(b.connectors);
        this.listener = b.listener;
        this.clock = b.clock;
        this.normalizer = b.normalizer;
        this.validator = b.validator != null ? b.validator : Validator.defaults(b.clock);
        this.retryOnFailure = b.retryOnFailure;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.pool = Executors.newFixedThreadPool(b.maxConcurrency, new NamedThreads());
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
        sourceIds.forEach(this::source);
        Map<String, Future<JobResult>> futures = new LinkedHashMap<>();
        for (String id : List.copyOf(new java.util.LinkedHashSet<>(sourceIds))) {
            futures.put(id, pool.submit(() -> runOrSkip(sources.get(id))));
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
        Source source = source(sourceId);
        Optional<PortfolioStore.SourceLock> lock = store.tryLockSource(sourceId);
        if (lock.isEmpty()) {
            throw busy(sourceId);
        }
        Future<JobResult> f = pool.submit(() -> {
            try (PortfolioStore.SourceLock ignored = lock.get()) {
                return runJob(source);
            }
        });
        return await(sourceId, f);
    }

    /** Like {@link #sync(String)}, without waiting; the future fails with {@link SourceBusyException} when busy. */
    public CompletableFuture<JobResult> syncAsync(String sourceId) {
        Source source = source(sourceId);
        return CompletableFuture.supplyAsync(() -> {
            Optional<PortfolioStore.SourceLock> lock = store.tryLockSource(sourceId);
            if (lock.isEmpty()) {
                throw busy(sourceId);
            }
            try (PortfolioStore.SourceLock ignored = lock.get()) {
                return runJob(source);
            }
        }, pool);
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

    private JobResult runOrSkip(Source source) {
        Optional<PortfolioStore.SourceLock> lock = store.tryLockSource(source.id());
        if (lock.isEmpty()) {
            Instant now = clock.instant();
            JobResult r = new JobResult(source.id(), OptionalLong.empty(), JobStatus.SKIPPED, ImportCounts.ZERO, 0, 0,
                    0, 0, now, now, Optional.of(busy(source.id()).getMessage()));
            notify(() -> listener.jobFinished(r));
            return r;
        }
        try (PortfolioStore.SourceLock ignored = lock.get()) {
            return runJob(source);
        }
    }

    /** Runs all attempts of one job; the caller holds the source's lock. */
    private JobResult runJob(Source source) {
        Instant started = clock.instant();
        int attempts = retryOnFailure ? 1 + maxRetries : 1;
        Progress progress = new Progress();
        long jobId = -1;
        String error = null;
        JobStatus status = JobStatus.FAILED;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            jobId = store.startJob(source.type(), source.id(), attempt, clock.instant());
            long id = jobId;
            int a = attempt;
            notify(() -> listener.jobStarted(source.id(), id, a));
            try {
                Optional<Instant> cursor = runAttempt(source, jobId, progress);
                store.finishJob(jobId, JobStatus.SUCCEEDED, Optional.empty(), clock.instant(), cursor);
                status = JobStatus.SUCCEEDED;
                error = null;
                break;
            } catch (RuntimeException e) {
                error = describe(source, e);
                boolean interrupted = Thread.currentThread().isInterrupted();
                status = interrupted ? JobStatus.INTERRUPTED : JobStatus.FAILED;
                finishQuietly(jobId, status, error);
                if (interrupted || !retryable(e) || attempt == attempts) {
                    LOG.warn("import job {} of {} {} (attempt {}/{}): {}", jobId, source.id(), status.dbValue(),
                            attempt, attempts, error);
                    break;
                }
                Duration wait = backoff(attempt);
                LOG.info("import job {} of {} failed (attempt {}/{}), retrying in {}: {}", jobId, source.id(), attempt,
                        attempts, wait, error);
                if (!sleep(wait)) {
                    status = JobStatus.INTERRUPTED;
                    break;
                }
            } finally {
                progress.endAttempt(jobId);
                try {
                    source.endSession();
                } catch (RuntimeException e) {
                    LOG.warn("ending the session of {} failed: {}", source.id(), e.getMessage());
                }
            }
        }
        JobResult result = new JobResult(source.id(), OptionalLong.of(jobId), status, progress.total(),
                progress.holdings, progress.accounts, progress.pages, progress.attempts, started, clock.instant(),
                Optional.ofNullable(error));
        notify(() -> listener.jobFinished(result));
        return result;
    }

    /** @return the newest transaction time stored, for the cursor */
    private Optional<Instant> runAttempt(Source source, long jobId, Progress progress) {
        progress.attempts++;
        AuthenticationResult auth = source.authenticate();
        if (!auth.success()) {
            throw new AuthenticationException(source.id(), auth.message());
        }
        List<Account> accounts = source.accounts();
        store.saveAccounts(jobId, source.type(), source.namespace(), accounts, clock.instant());
        progress.accounts = accounts.size();
        List<Holding> holdings = new ArrayList<>();
        for (Holding h : source.holdings(accounts)) {
            holdings.add(normalizer.normalize(h));
        }
        progress.holdings += store.saveHoldings(jobId, source.type(), source.namespace(),
                holdingsScope(source, accounts, holdings), holdings, clock.instant());

        Optional<Instant> cursor = store.cursor(source.id());
        Instant newest = cursor.orElse(null);
        int page = 0;
        try (PagedResult<Transaction> result = source.transactions(cursor, accounts)) {
            Iterator<Page<Transaction>> pages = result.iterator();
            while (pages.hasNext()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new ConnectorException(source.id(), "interrupted after page " + page);
                }
                List<Transaction> items = pages.next().items();
                int pageNo = ++page;
                progress.pages++;
                notify(() -> listener.pageFetched(source.id(), jobId, pageNo, items.size()));
                TransactionBatch batch = prepare(source, items, pageNo);
                ImportCounts counts = progress.earlierAttempts.isEmpty()
                        ? store.saveTransactions(jobId, batch, clock.instant())
                        : store.saveTransactions(jobId, batch, clock.instant(), Set.copyOf(progress.earlierAttempts));
                progress.attempt = progress.attempt.plus(counts);
                ImportCounts total = progress.total();
                notify(() -> listener.recordsStored(source.id(), jobId, counts, total));
                for (KeyedTransaction k : batch.records()) {
                    if (newest == null || k.transaction().date().isAfter(newest)) {
                        newest = k.transaction().date();
                    }
                }
            }
        }
        return Optional.ofNullable(newest);
    }

    /**
     * @return the accounts whose positions this sync replaces: all of the namespace for a source that is alone in
     *         it; else only those it lists or reports holdings for, since the namespace also holds the accounts of
     *         its sibling sources (another Kraken account, another Flex query)
     */
    private static Optional<Set<String>> holdingsScope(Source source, List<Account> accounts,
                                                       List<Holding> holdings) {
        if (source.id().equals(source.namespace())) {
            return Optional.empty();
        }
        Set<String> scope = new HashSet<>();
        accounts.forEach(a -> scope.add(a.accountId()));
        holdings.forEach(h -> scope.add(h.accountId()));
        return Optional.of(scope);
    }

    /** Normalizes, identifies, validates and deduplicates one page. */
    TransactionBatch prepare(Source source, List<Transaction> items, int pageNo) {
        List<KeyedTransaction> records = new ArrayList<>(items.size());
        List<Rejection> rejections = new ArrayList<>();
        Set<String> seen = new HashSet<>(items.size() * 2);
        Map<String, Integer> occurrences = new HashMap<>();
        boolean listsItsAssets = source.type().equals(Source.typeName(ConnectorType.CRYPTO_EXCHANGE));
        for (int i = 0; i < items.size(); i++) {
            Transaction raw = items.get(i);
            Transaction t;
            try {
                t = normalizer.normalize(raw);
            } catch (IllegalArgumentException e) {
                throw DataFetchException.malformed(source.id(), "transactions page " + pageNo,
                        raw.sourceId().orElse("#" + (i + 1)), null, e.getMessage(), e);
            }
            String recordId;
            if (t.sourceId().isPresent()) {
                recordId = t.sourceId().get();
            } else {
                String hash = Hashing.contentIdentity(t);
                int n = occurrences.merge(hash, 1, Integer::sum);
                recordId = n == 1 ? hash : hash + "#" + n;
            }
            List<ValidationIssue> issues = validator.validate(t, listsItsAssets);
            boolean rejected = false;
            for (ValidationIssue issue : issues) {
                if (issue.isError()) {
                    rejections.add(new Rejection(t.accountId(), recordId, issue, t.toString()));
                    rejected = true;
                } else if (LOG.isDebugEnabled()) {
                    LOG.debug("{} record {}: warning {}: {}", source.id(), recordId, issue.rule(), issue.message());
                }
            }
            if (rejected) {
                continue;
            }
            if (!seen.add(recordId + '\u001f' + t.accountId())) {
                rejections.add(new Rejection(t.accountId(), recordId, new ValidationIssue(
                        ValidationRule.DUPLICATE_SOURCE_ID, validator.severity(ValidationRule.DUPLICATE_SOURCE_ID),
                        Optional.of("sourceId"), "source id " + recordId + " appears more than once in page " + pageNo),
                        t.toString()));
                continue;
            }
            records.add(new KeyedTransaction(t, recordId, Hashing.contentHash(t)));
        }
        return new TransactionBatch(source.type(), source.namespace(), records, rejections);
    }

    /**
     * Retries happen in one layer, the HTTP call, which already retried what a retry can fix (5xx, 429, a dropped
     * connection). A job retries only a network failure that outlasted those attempts (a gateway restarting, a
     * connection down for a minute): never refused credentials, a malformed page or a 4xx, which come back the
     * same.
     */
    static boolean retryable(RuntimeException e) {
        return e instanceof NetworkException;
    }

    private Duration backoff(int attempt) {
        Duration d = initialBackoff.multipliedBy(1L << Math.min(20, attempt - 1));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void finishQuietly(long jobId, JobStatus status, String error) {
        try {
            store.finishJob(jobId, status, Optional.of(error), clock.instant(), Optional.empty());
        } catch (RuntimeException e) {
            LOG.error("cannot record the end of import job {}: {}", jobId, e.getMessage());
        }
    }

    private static String describe(Source source, RuntimeException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectorException ce && ce.source().isPresent()) {
            return msg; // already names its source
        }
        if (e instanceof IllegalArgumentException) {
            return source.id() + ": malformed data from the source: " + msg;
        }
        return source.id() + ": " + msg;
    }

    private static void notify(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.warn("an ImportListener failed: {}", e.toString());
        }
    }

    /**
     * A job's counts over its attempts. Imported and updated add up (an attempt leaves out what earlier ones
     * wrote); skipped and rejected are those of the attempt that got furthest, since every attempt reads the
     * source again from the same cursor and sees the same duplicates and rejections.
     */
    private static final class Progress {
        ImportCounts earlier = ImportCounts.ZERO;
        ImportCounts attempt = ImportCounts.ZERO;
        long holdings;
        long accounts;
        int pages;
        int attempts;
        /** the job ids of the attempts before the current one: what they stored is counted already */
        final List<Long> earlierAttempts = new ArrayList<>();

        ImportCounts total() {
            return new ImportCounts(earlier.imported() + attempt.imported(), earlier.updated() + attempt.updated(),
                    Math.max(earlier.skipped(), attempt.skipped()), Math.max(earlier.rejected(), attempt.rejected()));
        }

        void endAttempt(long jobId) {
            earlier = total();
            attempt = ImportCounts.ZERO;
            earlierAttempts.add(jobId);
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
        private boolean retryOnFailure = true;
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofSeconds(2);
        private int pluginPageSize = 1000;

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

        public Builder listener(ImportListener v) {
            listener = Objects.requireNonNull(v, "listener");
            return this;
        }

        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v, "clock");
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
         * @param retryOnFailure whether a failed job is retried (default true)
         * @param maxRetries     retries after the first attempt (default 3)
         * @param initialBackoff the wait before the first retry, doubled for each next one (default 2 s)
         */
        public Builder retries(boolean retryOnFailure, int maxRetries, Duration initialBackoff) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative but was " + maxRetries);
            }
            if (initialBackoff.isNegative()) {
                throw new IllegalArgumentException("initialBackoff must not be negative");
            }
            this.retryOnFailure = retryOnFailure;
            this.maxRetries = maxRetries;
            this.initialBackoff = initialBackoff;
            return this;
        }

        /** Applies retries, concurrency and symbol aliases from the {@code global} section of the configuration. */
        public Builder settings(GlobalSettings global) {
            retries(global.retryOnFailure(), global.maxRetries(), global.retryBackoff());
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
