package io.foliosync.imports;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.sink.Delivery;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What one sink received of one account after a sync.
 *
 * @param sinkId     the sink
 * @param sourceName the account's namespace
 * @param accountId  the account
 * @param delivery   what the destination took, updated and refused over the run's batches (those before a
 *                   failure included: they count as delivered)
 * @param error      why the delivery stopped, when it did; the rest is handed again on the next sync
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record SinkOutcome(String sinkId, String sourceName, String accountId, Delivery delivery,
                          Optional<String> error) {
    public SinkOutcome {
        Objects.requireNonNull(sinkId, "sinkId");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(error, "error");
    }

    /** @return whether the delivery stopped on an error or the destination refused records */
    public boolean failed() {
        return error.isPresent() || !delivery.refused().isEmpty();
    }

    /** @return {@code delivered}, {@code refused N}, {@code failed} or {@code up to date}, for a summary line */
    public String status() {
        if (error.isPresent()) {
            return "failed";
        }
        if (!delivery.refused().isEmpty()) {
            return "refused " + delivery.refused().size();
        }
        return delivery.created() + delivery.updated() > 0 ? "delivered" : "up to date";
    }
}
