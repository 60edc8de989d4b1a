package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * What a {@link Sink#deliver} call did with its batch.
 *
 * @param created records the destination did not have and now has
 * @param updated records it had in an older form and now has corrected
 * @param unchanged records it already had as they are (a batch handed again after a failure)
 * @param skipped records the sink has no form for by design (Ghostfolio: deposits and withdrawals, which it keeps
 *                as the account's balance); documented per sink, not an error
 * @param refused records the destination refused, each with its reason in the destination's words
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Delivery(int created, int updated, int unchanged, int skipped, List<RefusedRecord> refused) {
    public Delivery {
        if (created < 0 || updated < 0 || unchanged < 0 || skipped < 0) {
            throw new IllegalArgumentException("Delivery counts must not be negative: created " + created
                    + ", updated " + updated + ", unchanged " + unchanged + ", skipped " + skipped);
        }
        refused = List.copyOf(refused);
    }

    public static final Delivery NOTHING = new Delivery(0, 0, 0, 0, List.of());

    /** @return this delivery and {@code other} added up */
    public Delivery plus(Delivery other) {
        List<RefusedRecord> both = new java.util.ArrayList<>(refused);
        both.addAll(other.refused);
        return new Delivery(created + other.created, updated + other.updated, unchanged + other.unchanged,
                skipped + other.skipped, both);
    }
}
