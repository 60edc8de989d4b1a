package io.foliosync.imports;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.DataWarning;
import java.time.Duration;
import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.reconcile.TransferLink;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apiguardian.api.API;

/**
 * The outcome of one source's import job. A job whose {@link #status()} is {@link JobStatus#SUCCEEDED} but that
 * rejected records ({@link #partiallyFailed()}) is a partial failure: its {@code import_jobs.status} stays
 * {@code succeeded} (it read everything and is done for its period; readers of the status, older versions included,
 * keep their meaning), and its rejected count, stored beside it, says what it left out.
 *
 * @param sourceId   the source's id
 * @param jobId      the job's {@code import_jobs.id}; empty when the job was {@link JobStatus#SKIPPED}
 * @param status     how it ended
 * @param counts     what the job did, each record counted once: imported, updated, skipped as a duplicate or
 *                   rejected
 * @param holdings   holding rows written (a snapshot identical to the previous one is not written again; an
 *                   account that became empty gets an empty snapshot, which writes no rows)
 * @param accounts   accounts seen
 * @param pages      transaction pages fetched
 * @param attempts   1: a job runs once, and the next sync is a failed job's retry (docs/errors.md); 0 for a
 *                   job that was skipped
 * @param startedAt  when the job started
 * @param finishedAt when the job ended
 * @param error      what went wrong, for a failed or skipped job; never contains a secret
 * @param reconciliations the reconciliation of each account the job synced, after it succeeded (see
 *                   {@link io.foliosync.imports.reconcile.Reconciler}); empty for a job that did not succeed, or
 *                   whose accounts have nothing to reconcile against
 * @param transferLinks the transfers between the user's own accounts this job's records completed, linked after it
 *                   succeeded (the other side may have been stored by an earlier job of another account); empty
 *                   when nothing new was linked
 * @param warnings   what the source read but could not use in full, each once (a statement file
 *                   skipped, a malformed optional field dropped); the rest was imported
 * @param accountIds the accounts the job saw (listed, holding positions or with records), sorted
 * @param sinks      what each sink received of each account after the job succeeded ({@code docs/sinks.md}), by
 *                   sink then account; a sink's failure leaves the job succeeded and shows here
 */
@API(status = STABLE, since = "0.1")
public record JobResult(String sourceId, OptionalLong jobId, JobStatus status, ImportCounts counts, long holdings,
                        long accounts, int pages, int attempts, Instant startedAt, Instant finishedAt,
                        Optional<String> error, List<AccountReconciliation> reconciliations,
                        List<TransferLink> transferLinks, List<DataWarning> warnings, List<String> accountIds,
                        List<SinkOutcome> sinks) {
    /** A result without sink deliveries. */
    public JobResult(String sourceId, OptionalLong jobId, JobStatus status, ImportCounts counts, long holdings,
                     long accounts, int pages, int attempts, Instant startedAt, Instant finishedAt,
                     Optional<String> error, List<AccountReconciliation> reconciliations,
                     List<TransferLink> transferLinks, List<DataWarning> warnings, List<String> accountIds) {
        this(sourceId, jobId, status, counts, holdings, accounts, pages, attempts, startedAt, finishedAt, error,
                reconciliations, transferLinks, warnings, accountIds, List.of());
    }

    /** A result without accounts named. */
    public JobResult(String sourceId, OptionalLong jobId, JobStatus status, ImportCounts counts, long holdings,
                     long accounts, int pages, int attempts, Instant startedAt, Instant finishedAt,
                     Optional<String> error, List<AccountReconciliation> reconciliations,
                     List<TransferLink> transferLinks, List<DataWarning> warnings) {
        this(sourceId, jobId, status, counts, holdings, accounts, pages, attempts, startedAt, finishedAt, error,
                reconciliations, transferLinks, warnings, List.of());
    }

    /** A result without warnings. */
    public JobResult(String sourceId, OptionalLong jobId, JobStatus status, ImportCounts counts, long holdings,
                     long accounts, int pages, int attempts, Instant startedAt, Instant finishedAt,
                     Optional<String> error, List<AccountReconciliation> reconciliations,
                     List<TransferLink> transferLinks) {
        this(sourceId, jobId, status, counts, holdings, accounts, pages, attempts, startedAt, finishedAt, error,
                reconciliations, transferLinks, List.of());
    }

    /** A result without transfer links. */
    public JobResult(String sourceId, OptionalLong jobId, JobStatus status, ImportCounts counts, long holdings,
                     long accounts, int pages, int attempts, Instant startedAt, Instant finishedAt,
                     Optional<String> error, List<AccountReconciliation> reconciliations) {
        this(sourceId, jobId, status, counts, holdings, accounts, pages, attempts, startedAt, finishedAt, error,
                reconciliations, List.of());
    }

    /** A result without reconciliations. */
    public JobResult(String sourceId, OptionalLong jobId, JobStatus status, ImportCounts counts, long holdings,
                     long accounts, int pages, int attempts, Instant startedAt, Instant finishedAt,
                     Optional<String> error) {
        this(sourceId, jobId, status, counts, holdings, accounts, pages, attempts, startedAt, finishedAt, error,
                List.of());
    }

    public JobResult {
        reconciliations = List.copyOf(reconciliations);
        transferLinks = List.copyOf(transferLinks);
        warnings = List.copyOf(warnings);
        accountIds = List.copyOf(accountIds);
        sinks = List.copyOf(sinks);
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(error, "error");
    }

    /**
     * @return whether the job ran to its end: every record the source sent was read, and the cursor moved (to no
     *         later than the earliest record still rejected). A succeeded job may still have rejected records: see
     *         {@link #partiallyFailed()}
     */
    public boolean succeeded() {
        return status == JobStatus.SUCCEEDED;
    }

    /** @return how many records a validation rule rejected (kept in quarantine, not imported) */
    public long rejected() {
        return counts.rejected();
    }

    /** @return whether a validation rule rejected any record this job read */
    public boolean hasRejections() {
        return counts.rejected() > 0;
    }

    /**
     * @return whether the job succeeded but left records out: a validation rule rejected them and they are in
     *         quarantine ({@code PortfolioStore.openQuarantine}); every sync reads them again, so once the rule or
     *         the connector is fixed a sync imports them
     */
    public boolean partiallyFailed() {
        return succeeded() && hasRejections();
    }

    /** @return whether the job succeeded and imported everything it read, rejecting nothing */
    public boolean complete() {
        return succeeded() && !hasRejections();
    }

    /** @return the reconciled accounts with an asset that does not reconcile */
    public List<AccountReconciliation> unreconciled() {
        return reconciliations.stream().filter(r -> !r.reconciles()).toList();
    }

    /** @return this result with what the sinks received after the job */
    public JobResult withSinks(List<SinkOutcome> outcomes) {
        return new JobResult(sourceId, jobId, status, counts, holdings, accounts, pages, attempts, startedAt,
                finishedAt, error, reconciliations, transferLinks, warnings, accountIds, outcomes);
    }

    /**
     * @return the deliveries that failed or had records refused: a partial failure of the sync (the data is
     *         stored; the destination lacks part of it until the next sync delivers it)
     */
    public List<SinkOutcome> failedSinks() {
        return sinks.stream().filter(SinkOutcome::failed).toList();
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }
}
