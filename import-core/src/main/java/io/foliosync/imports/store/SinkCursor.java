package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What one sink received of one account, a row of {@code sink_cursors}.
 *
 * @param sinkId      the sink
 * @param sourceName  the account's namespace
 * @param accountId   the account
 * @param position    the last {@code transactions} write it accepted ({@link StoredChange.Position#START}: none)
 * @param snapshotId  the last holdings snapshot it received (0: none)
 * @param deliveredAt when a delivery last succeeded
 * @param attemptedAt when a delivery was last tried
 * @param lastError   why the last try failed, when it did
 */
@API(status = INTERNAL, since = "0.1")
public record SinkCursor(String sinkId, String sourceName, String accountId, StoredChange.Position position,
                         long snapshotId, Optional<Instant> deliveredAt, Instant attemptedAt,
                         Optional<String> lastError) {
    public SinkCursor {
        Objects.requireNonNull(sinkId, "sinkId");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(lastError, "lastError");
    }
}
