package io.foliosync.imports.pipeline;

import io.foliosync.connectors.api.Transaction;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Stage 4: a record whose identity an earlier record of the same page already has is rejected
 * ({@link ValidationRule#DUPLICATE_SOURCE_ID}) instead of overwriting it unseen. A record already stored by an
 * earlier page or job is no duplicate here: the store skips it, or updates it when its content changed.
 */
final class DeduplicateStage {
    private final Validator validator;
    private final int pageNo;
    private final Set<String> seen = new HashSet<>();

    DeduplicateStage(Validator validator, int pageNo) {
        this.validator = validator;
        this.pageNo = pageNo;
    }

    Optional<Rejection> rejection(Transaction t, String recordId, String location) {
        if (seen.add(recordId + '\u001f' + t.accountId())) {
            return Optional.empty();
        }
        ValidationIssue issue = new ValidationIssue(ValidationRule.DUPLICATE_SOURCE_ID,
                validator.severity(ValidationRule.DUPLICATE_SOURCE_ID), Optional.of("sourceId"),
                "source id " + recordId + " appears more than once in page " + pageNo);
        return Optional.of(new Rejection(t.accountId(), recordId, issue, t.toString(), Optional.of(recordId), t.date(),
                location));
    }
}
