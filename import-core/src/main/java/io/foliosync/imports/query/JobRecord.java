package io.foliosync.imports.query;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.JobStatus;
import java.time.Instant;
import java.util.Optional;
import org.apiguardian.api.API;

/** A row of {@code import_jobs}. Counts are those committed so far, page by page. */
@API(status = STABLE, since = "0.1")
public record JobRecord(long id, String sourceType, String sourceName, JobStatus status, int attempt,
                        Instant startedAt, Optional<Instant> completedAt, int pages, ImportCounts counts,
                        Optional<String> error) {
}
