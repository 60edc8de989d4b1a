package io.foliosync.imports;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.FolioSyncException;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.DeadlineExceededException;
import io.foliosync.connectors.api.http.SyncDeadline;
import io.foliosync.imports.config.GlobalSettings;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.HoldingsReport;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.pipeline.KeyedTransaction;
import io.foliosync.imports.pipeline.TransactionBatch;
import io.foliosync.imports.pipeline.TransactionPipeline;
import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.reconcile.Reconciler;
import io.foliosync.imports.reconcile.TransferLink;
import io.foliosync.imports.reconcile.TransferLinker;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.store.TransactionsRead;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import job of one source: authenticate, accounts, holdings, then the transactions since the cursor page by
 * page through the {@link TransactionPipeline} into the store, and the cursor advanced when the job succeeds.
 *
 * <p>A job runs once. Retries live in one layer, the HTTP call, which retries by type what a retry can fix (a
 * dropped connection, a 5xx, a 429, an exchange's "busy" code) and signs every attempt afresh; refused credentials,
 * malformed data and a wrong configuration come back the same however often they are tried. What outlasts those
 * attempts (a gateway down for an hour) fails the job, and the next scheduled run is its retry: it starts from the
 * cursor this job left, and the store's identity skips what this one stored. A second retry loop here multiplied the
 * HTTP layer's attempts, restarted a sync deadline's wait, and had to tell the store which earlier attempts' records
 * were counted already (docs/errors.md). The {@link ImportOrchestrator} decides when a job runs and holds the
 * source's lock around it.
 */
final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final PortfolioStore store;
    private final TransactionPipeline pipeline;
    private final ImportListener listener;
    private final Clock clock;
    private final Reconciler reconciler;
    private final TransferLinker transferLinker;
    private final Duration syncDeadline;
    /** the ids of the other sources that write a source's namespace (reconciliation's checkpoint waits for them) */
    private volatile java.util.function.Function<Source, Set<String>> alsoWriting = s -> Set.of();

    JobRunner(PortfolioStore store, TransactionPipeline pipeline, ImportListener listener, Clock clock) {
        this(store, pipeline, listener, clock, Reconciler.defaults(), TransferLinker.defaults(),
                GlobalSettings.DEFAULT_SYNC_DEADLINE);
    }

    JobRunner(PortfolioStore store, TransactionPipeline pipeline, ImportListener listener, Clock clock,
              Reconciler reconciler, TransferLinker transferLinker, Duration syncDeadline) {
        this.syncDeadline = syncDeadline;
        this.reconciler = reconciler;
        this.transferLinker = transferLinker;
        this.store = store;
        this.pipeline = pipeline;
        this.listener = listener;
        this.clock = clock;
    }

    /** Runs one incremental job; the caller holds the source's lock. */
    JobResult run(Source source) {
        return run(source, SyncMode.INCREMENTAL);
    }

    /**
     * Runs one job, once; the caller holds the source's lock. A failure ends the job: what a retry can fix was
     * retried already by the HTTP layer, and the next scheduled run starts from the cursor this one left.
     */
    JobResult run(Source source, SyncMode mode) {
        return run(source, mode, Optional.empty());
    }

    /**
     * Runs one job, once, like {@link #run(Source, SyncMode)}; the caller holds the source's lock.
     *
     * @param readFrom with {@link SyncMode#FULL_HISTORY}, where the re-read starts (a repair that knows where the
     *                 gap lies); empty for the whole history. A source that cannot read a window reads it all anyway
     */
    JobResult run(Source source, SyncMode mode, Optional<Instant> readFrom) {
        Instant started = clock.instant();
        Progress progress = new Progress();
        String error = null;
        JobStatus status = JobStatus.FAILED;
        Set<DataWarning> warnings = new LinkedHashSet<>();
        long jobId = store.startJob(source.type(), source.id(), 1, clock.instant());
        notify(() -> listener.jobStarted(source.id(), jobId, 1));
        // It cancels the HTTP calls of this thread when it passes; what was stored by then stays, and the cursor does
        // not move.
        SyncDeadline deadline = SyncDeadline.open(source.id(), syncDeadline);
        try {
            Attempt done = runAttempt(source, jobId, progress, mode, readFrom);
            // the store re-checks the source's quarantine against what this job read, and holds the cursor at the
            // earliest record still rejected
            store.finishJob(jobId, JobStatus.SUCCEEDED, Optional.empty(), clock.instant(), done.cursor(),
                    Optional.of(new TransactionsRead(done.readFrom())));
            status = JobStatus.SUCCEEDED;
        } catch (RuntimeException failure) {
            // whatever the source threw once the deadline had passed (a cancelled call, a library's own timeout),
            // the reason is the deadline
            RuntimeException e = deadline.expired() && !(failure instanceof DeadlineExceededException)
                    ? deadline.exceeded("the sync (" + failure.getClass().getSimpleName() + ")") : failure;
            error = describe(source, e);
            status = Thread.currentThread().isInterrupted() ? JobStatus.INTERRUPTED : JobStatus.FAILED;
            finishQuietly(jobId, status, error);
            LOG.warn("import job {} of {} {}: {}", jobId, source.id(), status.dbValue(), error);
        } finally {
            takeWarnings(source, jobId, warnings);
            try {
                source.endSession();
            } catch (RuntimeException e) {
                LOG.warn("ending the session of {} failed: {}", source.id(), e.getMessage());
            }
            deadline.close();
        }
        List<AccountReconciliation> reconciliations = status == JobStatus.SUCCEEDED
                ? reconcile(source, jobId, progress.accountIds) : List.of();
        List<TransferLink> links = status == JobStatus.SUCCEEDED ? linkTransfers(source, jobId) : List.of();
        JobResult result = new JobResult(source.id(), OptionalLong.of(jobId), status, progress.counts,
                progress.holdings, progress.accounts, progress.pages, 1, started, clock.instant(),
                Optional.ofNullable(error), reconciliations, links, List.copyOf(warnings),
                progress.accountIds.stream().sorted().toList());
        notify(() -> listener.jobFinished(result));
        return result;
    }

    /**
     * Collects the source's warnings of the job, before its session ends (a plugin forgets them at logout), also
     * when the job failed: they may say why. A warning repeated (a thousand shared FITIDs) is counted once. They
     * travel on the result; the log gets one line per job (such a statement must not flood it) and each warning at
     * debug.
     */
    private static void takeWarnings(Source source, long jobId, Set<DataWarning> into) {
        try {
            List<DataWarning> fresh = source.takeWarnings().stream().filter(into::add).toList();
            if (!fresh.isEmpty()) {
                LOG.warn("import job {} of {}: {} warning(s), the first: {}", jobId, source.id(), fresh.size(),
                        fresh.get(0).describe());
                fresh.forEach(w -> LOG.debug("import job {} of {}: {}", jobId, source.id(), w.describe()));
            }
        } catch (RuntimeException e) {
            LOG.warn("taking the warnings of {} failed: {}", source.id(), e.toString());
        }
    }

    void alsoWriting(java.util.function.Function<Source, Set<String>> v) {
        alsoWriting = v;
    }

    /**
     * Reconciles and stores each account the succeeded job synced. A failure here is logged and leaves the job
     * succeeded: the data it stored is complete whether or not it can be proven so.
     */
    private List<AccountReconciliation> reconcile(Source source, long jobId, Set<String> accountIds) {
        List<AccountReconciliation> out = new ArrayList<>();
        for (String accountId : accountIds.stream().sorted().toList()) {
            try {
                reconciler.reconcile(store, source.type(), source.namespace(), accountId, jobId, clock.instant(),
                                alsoWriting.apply(source))
                        .ifPresent(r -> {
                            store.saveReconciliation(OptionalLong.of(jobId), r);
                            out.add(r);
                        });
            } catch (RuntimeException e) {
                LOG.warn("reconciling account {} of {} after job {} failed: {}", accountId, source.id(), jobId,
                        e.toString());
            }
        }
        return out;
    }

    /**
     * Links the transfers between the user's own accounts that this job's records complete (across every source).
     * Returns the links it stored, for the job's result.
     * Like reconciliation, a failure here is logged and leaves the job succeeded. Runs one at a time in this
     * process; the store skips a side another process linked meanwhile.
     */
    private List<TransferLink> linkTransfers(Source source, long jobId) {
        synchronized (transferLinker) {
            try {
                List<TransferLink> links = transferLinker.link(store, clock.instant());
                if (!links.isEmpty()) {
                    LOG.info("linked {} transfer(s) between accounts after job {} of {}", links.size(), jobId,
                            source.id());
                }
                return links;
            } catch (RuntimeException e) {
                LOG.warn("linking transfers after job {} of {} failed: {}", jobId, source.id(), e.toString());
                return List.of();
            }
        }
    }

    /**
     * What a job that got to the end did.
     *
     * @param cursor   the newest transaction time stored, for the cursor
     * @param readFrom where it read the source's transactions from (empty: the whole history)
     */
    private record Attempt(Optional<Instant> cursor, Optional<Instant> readFrom) {
    }

    private Attempt runAttempt(Source source, long jobId, Progress progress, SyncMode mode,
                               Optional<Instant> readFrom) {
        AuthenticationResult auth = source.authenticate();
        if (!auth.success()) {
            throw new AuthenticationException(source.id(), auth.message());
        }
        List<Account> accounts = source.accounts();
        store.saveAccounts(jobId, source.type(), source.namespace(), accounts, clock.instant());
        progress.accounts = accounts.size();
        accounts.forEach(a -> progress.accountIds.add(a.accountId()));
        HoldingsReport reported = source.holdingsReport(accounts);
        List<Holding> holdings = new ArrayList<>();
        for (Holding h : reported.holdings()) {
            holdings.add(pipeline.holding(h));
            progress.accountIds.add(h.accountId());
        }
        progress.accountIds.addAll(reported.accountsWithoutPositions());
        Optional<Set<String>> scope = holdingsScope(source, accounts, holdings)
                .map(s -> union(s, reported.accountsWithoutPositions()));
        progress.holdings += store.saveHoldings(jobId, source.type(), source.namespace(), scope, holdings,
                reported.accountsWithoutPositions(), clock.instant());

        TransactionPipeline.Origin origin = new TransactionPipeline.Origin(source.id(), source.type(),
                source.namespace(), source.type().equals(Source.typeName(ConnectorType.CRYPTO_EXCHANGE)));
        Optional<Instant> cursor = mode == SyncMode.FULL_HISTORY ? readFrom : store.cursor(source.id());
        int page = 0;
        // Write-behind by one page: while page N is written (one database transaction, as before), page N + 1 is
        // fetched and run through the pipeline on this thread, so the source, the pipeline's CPU work and the
        // database overlap. Pages are still written one at a time and in order, each waited for before the next
        // is handed over and before this method returns or throws: what a crash leaves is what it left before
        // (whole pages, the cursor untouched until finishJob).
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "foliosync-write-" + source.id());
            t.setDaemon(true);
            return t;
        });
        PageWrite pending = null;
        Newest newest = new Newest(cursor.orElse(null));
        try (PagedResult<Transaction> result = source.transactions(cursor, accounts)) {
            Iterator<Page<Transaction>> pages = result.iterator();
            while (pages.hasNext()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new ConnectorException(source.id(), "interrupted after page " + page);
                }
                Optional<SyncDeadline> over = SyncDeadline.current().filter(SyncDeadline::expired);
                if (over.isPresent()) {
                    throw over.get().exceeded("after page " + page);
                }
                List<Transaction> items = pages.next().items();
                int pageNo = ++page;
                progress.pages++;
                notify(() -> listener.pageFetched(source.id(), jobId, pageNo, items.size()));
                TransactionBatch batch = pipeline.page(origin, items, pageNo);
                if (pending != null) {
                    PageWrite done = pending;
                    pending = null;
                    stored(source, jobId, progress, done, newest);
                }
                Instant at = clock.instant();
                pending = new PageWrite(batch, writer.submit(() -> store.saveTransactions(jobId, batch, at)));
            }
            if (pending != null) {
                PageWrite done = pending;
                pending = null;
                stored(source, jobId, progress, done, newest);
            }
        } finally {
            if (pending != null) {
                // this job is failing: let the page being written finish (or fail) before the job is marked,
                // and count it if it was stored
                try {
                    stored(source, jobId, progress, pending, newest);
                } catch (RuntimeException e) {
                    LOG.warn("{}: the page being written when the job failed was not stored either: {}", source.id(),
                            e.getMessage());
                }
            }
            writer.shutdown();
        }
        return new Attempt(Optional.ofNullable(newest.value), cursor);
    }

    /** A page handed to the writer thread. */
    private record PageWrite(TransactionBatch batch, Future<ImportCounts> counts) {
    }

    /** The newest transaction time stored so far. */
    private static final class Newest {
        Instant value;

        Newest(Instant value) {
            this.value = value;
        }
    }

    /** Waits for a page's write and counts it; the write's own exception is rethrown as it was. */
    private void stored(Source source, long jobId, Progress progress, PageWrite write, Newest newest) {
        ImportCounts counts = awaitWrite(write.counts());
        progress.counts = progress.counts.plus(counts);
        ImportCounts total = progress.counts;
        notify(() -> listener.recordsStored(source.id(), jobId, counts, total));
        source.remainingTime().ifPresent(d -> notify(() -> listener.timeLeft(source.id(), jobId, d)));
        for (KeyedTransaction k : write.batch().records()) {
            progress.accountIds.add(k.transaction().accountId());
            if (newest.value == null || k.transaction().date().isAfter(newest.value)) {
                newest.value = k.transaction().date();
            }
        }
    }

    private static ImportCounts awaitWrite(Future<ImportCounts> write) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return write.get();
                } catch (InterruptedException e) {
                    // the write is one database transaction: let it end rather than leave it running unseen
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
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
        if (e instanceof FolioSyncException fe && fe.source().isPresent()) {
            return msg; // already names its source
        }
        if (e instanceof IllegalArgumentException) {
            return source.id() + ": malformed data from the source: " + msg;
        }
        return source.id() + ": " + msg;
    }

    static void notify(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.warn("an ImportListener failed: {}", e.toString());
        }
    }

    /** What the job did so far. */
    private static final class Progress {
        ImportCounts counts = ImportCounts.ZERO;
        long holdings;
        long accounts;
        int pages;
        /** the accounts the job saw (listed, holding positions or with records), to reconcile after it */
        final Set<String> accountIds = new HashSet<>();
    }
}
