package io.foliosync.imports;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.reconcile.TransferLink;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The outcome of {@link ImportOrchestrator#syncAll()}: one result per source, in registration order.
 *
 * @param results every source's result
 */
@API(status = STABLE, since = "0.1")
public record SyncReport(List<JobResult> results) {
    public SyncReport {
        results = List.copyOf(results);
    }

    /**
     * @return whether every source synced and imported everything it read: false when a job failed, and when one
     *         succeeded but a validation rule rejected records ({@link #partiallyFailed()})
     */
    public boolean allSucceeded() {
        return results.stream().allMatch(JobResult::complete);
    }

    /** @return whether a source's job did not succeed (failed, interrupted, or skipped as already syncing) */
    public boolean anyFailed() {
        return !failed().isEmpty();
    }

    /** @return the jobs that did not succeed, in the order of the results */
    public List<JobResult> failed() {
        return results.stream().filter(r -> !r.succeeded()).toList();
    }

    /**
     * @return whether every job succeeded but some rejected records (kept in quarantine): the data is in, except
     *         those records
     */
    public boolean partiallyFailed() {
        return !anyFailed() && results.stream().anyMatch(JobResult::hasRejections);
    }

    /** @return the jobs that rejected records, failed or not, in the order of the results */
    public List<JobResult> withRejections() {
        return results.stream().filter(JobResult::hasRejections).toList();
    }

    public Optional<JobResult> result(String sourceId) {
        return results.stream().filter(r -> r.sourceId().equals(sourceId)).findFirst();
    }

    /** @return every account reconciled after its sync, in the order of the results */
    public List<AccountReconciliation> reconciliations() {
        return results.stream().flatMap(r -> r.reconciliations().stream()).toList();
    }

    /** @return the reconciled accounts with an asset that does not reconcile */
    public List<AccountReconciliation> unreconciled() {
        return reconciliations().stream().filter(r -> !r.reconciles()).toList();
    }

    /**
     * @return the transfers between the user's own accounts linked by this run's jobs (a link appears once, on the
     *         job that stored its second side, whichever account that was)
     */
    public List<TransferLink> transferLinks() {
        return results.stream().flatMap(r -> r.transferLinks().stream()).toList();
    }

    /**
     * @return the sink deliveries that failed or had records refused, in the order of the results: the data is
     *         stored, but a destination lacks part of it until a later sync delivers it
     */
    public List<SinkOutcome> failedSinks() {
        return results.stream().flatMap(r -> r.failedSinks().stream()).toList();
    }

    /** @return every sink delivery of this run, in the order of the results */
    public List<SinkOutcome> sinkOutcomes() {
        return results.stream().flatMap(r -> r.sinks().stream()).toList();
    }

    /** @return the counts of every source added up */
    public ImportCounts totals() {
        return results.stream().map(JobResult::counts).reduce(ImportCounts.ZERO, ImportCounts::plus);
    }
}
