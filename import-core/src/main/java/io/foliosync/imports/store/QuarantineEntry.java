package io.foliosync.imports.store;

import io.foliosync.imports.pipeline.Severity;
import java.time.Instant;
import java.util.Optional;

/** A row of {@code quarantine}: a rejected record, the rule and the reason. */
public record QuarantineEntry(long id, long jobId, String sourceName, String accountId, String recordId,
                              String rule, Severity severity, Optional<String> field, String reason, String record,
                              Instant createdAt) {
}
