package io.foliosync.imports.query;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.imports.pipeline.Severity;
import java.time.Instant;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A row of {@code quarantine}: a rejected record, the rule and the reason.
 *
 * @param id         the row's id
 * @param jobId      the job that first rejected the record
 * @param sourceName the namespace of the record's rows ({@code ibkr}, {@code crypto_exchanges}, a plugin id)
 * @param accountId  the record's account
 * @param recordId   the record's identity part: the source's id for it, or {@code h:} + a content hash
 * @param rule       the broken rule, such as {@code required_fields}
 * @param severity   the rule's severity when it was rejected (always an error: warnings are not quarantined)
 * @param field      the field at fault, when the rule names one
 * @param reason     what is wrong, naming the values
 * @param record     the record as text
 * @param createdAt  when it was first rejected
 * @param sourceId   the source (account) whose sync read it, such as {@code ibkr-flex-1}; empty for a row an
 *                   older version wrote whose job is gone
 * @param value      the value of the field at fault, when it has one
 * @param location   where the record came from: its source id, or its position in what the source returned
 * @param recordDate the record's own time; empty for a row written before version 12 of the schema
 * @param lastJobId  the last job that read and rejected it again
 * @param resolvedAt when a later sync read it again without rejecting it (imported, or no longer sent by the
 *                   source); empty while it is still rejected
 */
@API(status = STABLE, since = "0.1")
public record QuarantineEntry(long id, long jobId, String sourceName, String accountId, String recordId,
                              String rule, Severity severity, Optional<String> field, String reason, String record,
                              Instant createdAt, Optional<String> sourceId, Optional<String> value,
                              Optional<String> location, Optional<Instant> recordDate, long lastJobId,
                              Optional<Instant> resolvedAt) {
    /** @return whether the record is still rejected */
    public boolean open() {
        return resolvedAt.isEmpty();
    }
}
