package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One batch of an account's changes for a sink.
 *
 * @param account  the account; never null
 * @param records  the records new or changed since the sink's cursor, oldest change first; at most
 *                 {@link #MAX_RECORDS}
 * @param holdings the account's latest holdings snapshot, when the sink has not received it (sent with the
 *                 account's last batch)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record AccountChanges(SinkAccount account, List<ChangedRecord> records, Optional<SinkHoldings> holdings) {
    /** The most records one {@link Sink#deliver} call receives. */
    public static final int MAX_RECORDS = 500;

    public AccountChanges {
        Objects.requireNonNull(account, "account");
        records = List.copyOf(records);
        Objects.requireNonNull(holdings, "holdings");
        if (records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_RECORDS + " records, not "
                    + records.size());
        }
    }

    /** @return whether there is nothing to deliver */
    public boolean isEmpty() {
        return records.isEmpty() && holdings.isEmpty();
    }
}
