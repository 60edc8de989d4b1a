package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.Transaction;
import org.apiguardian.api.API;

/**
 * A stored record a sink has not received in this form.
 *
 * @param recordId    the record's stored identity within its account: the source's id for it, or {@code h:} and
 *                    a content hash where the source gives none; stable across syncs, so a sink keys what it
 *                    sent by it
 * @param contentHash the hash of the stored fields: it differs from the one last delivered exactly when the
 *                    source corrected the record
 * @param transaction the record as stored (normalised: quantity and amount non-negative, direction in the type)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ChangedRecord(String recordId, String contentHash, Transaction transaction) {
    private static final String R = "ChangedRecord";

    public ChangedRecord {
        Checks.text(R, "recordId", recordId);
        Checks.text(R, "contentHash", contentHash);
        java.util.Objects.requireNonNull(transaction, "ChangedRecord.transaction is required");
    }
}
