package io.foliosync.imports.pipeline;

import java.util.Objects;

/**
 * Internal: not part of the API (the pipeline's output, {@code PortfolioStore}'s input).
 *
 * <p>A record a validation rule of severity error rejected, for the quarantine table.
 *
 * @param accountId the record's account
 * @param recordId  the record's identity part (source id or {@code h:} hash)
 * @param issue     the broken rule
 * @param record    the record as text, for a person to inspect
 */
public record Rejection(String accountId, String recordId, ValidationIssue issue, String record) {
    public Rejection {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(issue, "issue");
        Objects.requireNonNull(record, "record");
    }
}
