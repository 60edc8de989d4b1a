package io.foliosync.imports.pipeline;

import io.foliosync.connectors.api.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stage 3: the {@link Validator}'s rules; every error becomes a rejection, a warning is only logged. */
final class ValidateStage {
    private static final Logger LOG = LoggerFactory.getLogger(ValidateStage.class);

    private final Validator validator;
    private final String sourceId;
    private final boolean listsItsAssets;

    ValidateStage(Validator validator, String sourceId, boolean listsItsAssets) {
        this.validator = validator;
        this.sourceId = sourceId;
        this.listsItsAssets = listsItsAssets;
    }

    /**
     * @param location where the record came from ({@link FieldValues#location})
     * @return one rejection per broken rule of severity error; empty when the record may be stored
     */
    /** @return {@code text} with each NUL written as {@code \\x00}, as a terminal shows it */
    static String withoutNul(String text) {
        return text.indexOf(0) < 0 ? text : text.replace("\0", "\\x00");
    }

    List<Rejection> rejections(Transaction t, String recordId, String location) {
        List<Rejection> out = new ArrayList<>(0);
        for (ValidationIssue issue : validator.validate(t, listsItsAssets)) {
            if (issue.isError()) {
                // the quarantine keeps the record as text: a NUL in it would fail the insert on PostgreSQL
                out.add(new Rejection(t.accountId(), recordId, issue, withoutNul(t.toString()),
                        FieldValues.of(t, issue.field()).map(ValidateStage::withoutNul), t.date(), location));
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("{} record {}: warning {}: {}", sourceId, recordId, issue.rule(), issue.message());
            }
        }
        return out;
    }
}
