package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.api.sink.SinkContext;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.JobStatus;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.pipeline.TransactionBatch;
import io.foliosync.imports.query.HoldingSnapshot;
import io.foliosync.imports.query.PortfolioQuery;
import io.foliosync.imports.query.StoredTransaction;
import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.reconcile.ReconciliationCheckpoint;
import io.foliosync.imports.reconcile.TransferLink;
import io.foliosync.imports.reconcile.TransferLinks;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Where imported data lives. {@link JdbcPortfolioStore} is the implementation (SQLite or PostgreSQL); the
 * {@link ImportOrchestrator} is its only writer. Every write method is one database transaction.
 */
@API(status = INTERNAL, since = "0.1")
public interface PortfolioStore extends PortfolioQuery, AutoCloseable {

    /** @return a store on {@code settings}, migrated to the current schema */
    static PortfolioStore open(DatabaseSettings settings) {
        return JdbcPortfolioStore.open(settings);
    }

    /** @return the portfolio this store reads and writes: {@code default} unless it came from {@link #forPortfolio} */
    default String portfolio() {
        return JdbcPortfolioStore.DEFAULT_PORTFOLIO;
    }

    /**
     * @return this store seen as one portfolio: every read and write of the view is that portfolio's rows, and
     *         jobs, cursors and source locks are keyed by (portfolio, source). The view shares this store's
     *         connections; closing it closes nothing.
     * @throws UnsupportedOperationException where the database holds one portfolio only (SQLite)
     */
    PortfolioStore forPortfolio(String portfolioId);

    // ---- jobs ----

    /** @return the id of a new {@code running} job */
    long startJob(String sourceType, String sourceName, int attempt, Instant startedAt);

    /**
     * Ends a job, and for a succeeded job advances the source's transaction cursor, in one transaction. The cursor
     * never moves past the source's earliest record still in quarantine (so the next sync reads it again); no
     * quarantined record is re-checked (see the overload with what the job read).
     *
     * @param cursor the newest transaction time the job stored, to fetch from next time
     */
    void finishJob(long jobId, JobStatus status, Optional<String> error, Instant finishedAt,
                   Optional<Instant> cursor);

    /**
     * Like {@link #finishJob(long, JobStatus, Optional, Instant, Optional)}; for a succeeded job that read
     * {@code read}, the source's quarantined records it read and did not reject again are first resolved (their
     * record was imported, or the source no longer sends it), then the cursor is held at the earliest one still
     * open.
     */
    void finishJob(long jobId, JobStatus status, Optional<String> error, Instant finishedAt,
                   Optional<Instant> cursor, Optional<TransactionsRead> read);

    /**
     * Marks jobs left {@code running} by a process that ended as {@code interrupted}, except those whose source
     * is locked (by this process or, on PostgreSQL, by another).
     *
     * @return how many were marked
     */
    int interruptStaleJobs(Instant now);

    /**
     * Claims a source for one sync, in this process and across processes: on PostgreSQL with a session advisory
     * lock, on SQLite with an OS file lock on {@code <database>.locks/<source>.lock} beside the database file
     * (released by the OS when the process dies, so a killed sync never leaves a stale lock).
     *
     * @return the lock to close when the sync ends, or empty when the source is already syncing
     */
    Optional<SourceLock> tryLockSource(String sourceName);

    /**
     * @return where this store keeps its data, for messages a user acts on: the SQLite file, or the database URL
     *         without credentials
     */
    @Override
    default String location() {
        return "the database";
    }

    // ---- data ----

    /** @return the newest transaction time a succeeded job stored for the source */
    Optional<Instant> cursor(String sourceName);

    /** Inserts or updates the accounts and their {@code data_source_links}; returns how many changed. */
    long saveAccounts(long jobId, String sourceType, String sourceName, List<Account> accounts, Instant at);

    /**
     * Writes a holdings snapshot per account, skipping an account whose snapshot equals its latest one.
     * {@code holdings} is the source's whole position: an account whose latest snapshot holds positions but
     * which has none in {@code holdings} gets an empty snapshot, so {@link #latestHoldings} no longer returns
     * its old positions. An empty snapshot is recorded once; syncing the same empty position again writes
     * nothing.
     *
     * @return holding rows written
     */
    default long saveHoldings(long jobId, String sourceType, String sourceName, List<Holding> holdings, Instant asOf) {
        return saveHoldings(jobId, sourceType, sourceName, Optional.empty(), holdings, asOf);
    }

    /**
     * Like {@link #saveHoldings(long, String, String, List, Instant)} for one source of a namespace that several
     * sources share: only the accounts in {@code accounts} (when present) are emptied when absent from
     * {@code holdings}, so one account's sync never clears another's positions.
     *
     * @return holding rows written
     */
    default long saveHoldings(long jobId, String sourceType, String sourceName, Optional<Set<String>> accounts,
                              List<Holding> holdings, Instant asOf) {
        return saveHoldings(jobId, sourceType, sourceName, accounts, holdings, Set.of(), asOf);
    }

    /**
     * Like {@link #saveHoldings(long, String, String, Optional, List, Instant)}, for a source that did not report
     * the positions of the accounts in {@code withoutPositions} (a Flex statement without Open Positions): their
     * snapshot records that ({@link io.foliosync.imports.query.HoldingSnapshot#positionsReported()} false) with
     * whatever cash was reported, so
     * neither the holdings nor reconciliation read "not reported" as "none".
     *
     * @return holding rows written
     */
    long saveHoldings(long jobId, String sourceType, String sourceName, Optional<Set<String>> accounts,
                      List<Holding> holdings, Set<String> withoutPositions, Instant asOf);

    /**
     * Stores one page: inserts new records, updates changed ones in place, skips unchanged ones, quarantines
     * the rejections and adds the counts to the job, all in one transaction.
     *
     * @return what happened to the page's records
     */
    ImportCounts saveTransactions(long jobId, TransactionBatch batch, Instant at);

    // ---- reconciliation ----

    /**
     * @return the account's records that jobs after {@code afterJobId} wrote: what reconciliation reads after its
     *         checkpoint instead of the whole history
     */
    AccountWrites writtenAfter(String sourceName, String accountId, long afterJobId);

    /** @return what reconciliation kept of the account's history at its last check after a job, if anything */
    Optional<ReconciliationCheckpoint> reconciliationCheckpoint(String sourceName, String accountId);

    /** Replaces the account's reconciliation checkpoint, in one transaction. */
    void saveReconciliationCheckpoint(ReconciliationCheckpoint checkpoint);

    /**
     * Stores one account's reconciliation: a {@code reconciliation_results} row per asset and the account's
     * {@code data_source_links.data_quality_score}, in one transaction.
     *
     * @param jobId the job whose sync it followed, when it did
     */
    void saveReconciliation(OptionalLong jobId, AccountReconciliation reconciliation);

    // ---- transfers between the user's own accounts ----

    /**
     * @return the deposits, withdrawals and transfers in and out that are not a side of a stored transfer link
     *         yet, by date: what {@link io.foliosync.imports.reconcile.TransferLinker} matches
     */
    List<StoredTransaction> unlinkedTransfers();

    /**
     * Stores transfer links in one transaction; a link either of whose sides is linked already is skipped, so
     * linking the same records twice (or from two processes at once) stores each once.
     *
     * @return the links stored
     */
    List<TransferLink> saveTransferLinks(List<TransferLink> links);

    /** @return every stored link */
    default List<TransferLink> transferLinks() {
        return transferLinks(Optional.empty());
    }

    /**
     * @return this store's reads alone, for a caller that must not write: the view is not a {@code PortfolioStore}
     *         (no cast reaches the writes) and closing it is not possible; it reads through this store's connections
     */
    default PortfolioQuery readOnly() {
        return new ReadOnlyQuery(this);
    }

    // ---- sinks (docs/sinks.md) ----

    /**
     * @return up to {@code limit} of the account's rows written after {@code after} (inserted, or corrected by a
     *         later job), in the order they were written: what a sink whose cursor is {@code after} has not received
     */
    List<StoredChange> changesAfter(String sourceName, String accountId, StoredChange.Position after, int limit);

    /** @return the account's newest holdings snapshot, when it has one */
    Optional<HoldingSnapshot> latestHoldingSnapshot(String sourceName, String accountId);

    /** @return what the sink received of the account, when it was ever tried */
    Optional<SinkCursor> sinkCursor(String sinkId, String sourceName, String accountId);

    /** @return every sink's cursor of every account, by sink, namespace and account */
    List<SinkCursor> sinkCursors();

    @Override
    default List<io.foliosync.imports.query.SinkDelivery> sinkDeliveries() {
        return sinkCursors().stream().map(c -> new io.foliosync.imports.query.SinkDelivery(c.sinkId(), c.sourceName(),
                c.accountId(), c.deliveredAt(), c.attemptedAt(), c.lastError())).toList();
    }

    /** Moves a sink's cursor of an account after a delivery it accepted, and clears its last error. */
    void advanceSinkCursor(String sinkId, String sourceName, String accountId, StoredChange.Position to,
                           long snapshotId, Instant at);

    /**
     * Forgets what the sink received (its cursors, not its remote id map): the next sync hands it every record again,
     * and a sink keeping a remote id map sends only what it lacks (the records it refused before, say).
     *
     * @return how many account cursors were removed
     */
    int resetSink(String sinkId);

    /** Records that a delivery to a sink failed; its cursor stays. */
    void sinkFailed(String sinkId, String sourceName, String accountId, String error, Instant at);

    /** @return the sink's record id → destination id map of the account, written through to the database */
    SinkContext.RemoteIds sinkRemoteIds(String sinkId, String sourceName, String accountId, Clock clock);

    /** @return credentials kept in {@code plugin_configs}, encrypted with {@code cipher} */
    DatabaseCredentialStore credentials(SecretCipher cipher);

    /** Closes the connections. */
    @Override
    void close();

    /** A claim on a source; closing it releases the source. */
    interface SourceLock extends AutoCloseable {
        @Override
        void close();
    }
}
