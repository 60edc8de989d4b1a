package io.foliosync.imports.store;

import io.foliosync.connectors.api.Holding;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A row of {@code holding_snapshots} with its positions.
 *
 * @param id       the snapshot's id: later snapshots of an account have higher ids
 * @param asOf     when the source reported it
 * @param holdings its positions; empty for an empty snapshot
 */
public record HoldingSnapshot(long id, Instant asOf, List<Holding> holdings) {
    public HoldingSnapshot {
        Objects.requireNonNull(asOf, "asOf");
        holdings = List.copyOf(holdings);
    }
}
