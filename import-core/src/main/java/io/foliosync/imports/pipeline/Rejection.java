package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Internal: not part of the API (the pipeline's output, {@code PortfolioStore}'s input).
 *
 * <p>A record a validation rule of severity error rejected, for the quarantine table.
 *
 * @param accountId  the record's account
 * @param recordId   the record's identity part (source id or {@code h:} hash)
 * @param issue      the broken rule
 * @param record     the record as text, for a person to inspect
 * @param value      the value of the field at fault as the record holds it, when the rule names a field that has
 *                   one ({@code price} of a trade without a price has none)
 * @param recordDate the record's time: the job's cursor never moves past the earliest record still in quarantine,
 *                   so the next sync reads it again and a fixed rule imports it
 * @param location   where the record came from, for a person to find it: the source's id for the record, or its
 *                   position in what the source returned ({@code page 2, record 14})
 */
@API(status = INTERNAL, since = "0.1")
public record Rejection(String accountId, String recordId, ValidationIssue issue, String record,
                        Optional<String> value, Instant recordDate, String location) {
    public Rejection {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(issue, "issue");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(recordDate, "recordDate");
        Objects.requireNonNull(location, "location");
    }
}
