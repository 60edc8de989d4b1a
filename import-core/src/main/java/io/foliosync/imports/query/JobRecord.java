package io.foliosync.imports.query;

import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.JobStatus;
import java.time.Instant;
import java.util.Optional;

/** A row of {@code import_jobs}. Counts are those committed so far, page by page. */
public record JobRecord(long id, String sourceType, String sourceName, JobStatus status, int attempt,
                        Instant startedAt, Optional<Instant> completedAt, int pages, ImportCounts counts,
                        Optional<String> error) {
}
