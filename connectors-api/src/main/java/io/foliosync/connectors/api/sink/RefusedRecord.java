package io.foliosync.connectors.api.sink;


/**
 * A record a destination would not take.
 *
 * @param recordId the record's {@link ChangedRecord#recordId()}
 * @param reason   why, in the destination's words (Ghostfolio's validation message), never holding a secret
 */
public record RefusedRecord(String recordId, String reason) {
    private static final String R = "RefusedRecord";

    public RefusedRecord {
        Checks.text(R, "recordId", recordId);
        Checks.text(R, "reason", reason);
    }
}
