package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;


/**
 * A record a destination would not take.
 *
 * @param recordId the record's {@link ChangedRecord#recordId()}
 * @param reason   why, in the destination's words (Ghostfolio's validation message), never holding a secret
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RefusedRecord(String recordId, String reason) {
    private static final String R = "RefusedRecord";

    public RefusedRecord {
        Checks.text(R, "recordId", recordId);
        Checks.text(R, "reason", reason);
    }
}
