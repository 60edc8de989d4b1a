package io.foliosync.imports;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link ImportOrchestrator#syncAll()}: one result per source, in registration order.
 *
 * @param results every source's result
 */
public record SyncReport(List<JobResult> results) {
    public SyncReport {
        results = List.copyOf(results);
    }

    public boolean allSucceeded() {
        return results.stream().allMatch(JobResult::succeeded);
    }

    public Optional<JobResult> result(String sourceId) {
        return results.stream().filter(r -> r.sourceId().equals(sourceId)).findFirst();
    }

    /** @return the counts of every source added up */
    public ImportCounts totals() {
        return results.stream().map(JobResult::counts).reduce(ImportCounts.ZERO, ImportCounts::plus);
    }
}
