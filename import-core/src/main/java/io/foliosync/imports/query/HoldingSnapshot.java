package io.foliosync.imports.query;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.Holding;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A row of {@code holding_snapshots} with its positions.
 *
 * @param id       the snapshot's id: later snapshots of an account have higher ids
 * @param asOf     when the source reported it
 * @param holdings its positions; empty for an empty snapshot
 * @param positionsReported whether the source reported the account's positions: false for a snapshot of a
 *                 statement without them (a Flex statement without Open Positions), whose {@code holdings} are
 *                 then only the cash it reported and say nothing about the positions
 */
@API(status = STABLE, since = "0.1")
public record HoldingSnapshot(long id, Instant asOf, List<Holding> holdings, boolean positionsReported) {
    public HoldingSnapshot {
        Objects.requireNonNull(asOf, "asOf");
        holdings = List.copyOf(holdings);
    }

    /** A snapshot of reported positions. */
    public HoldingSnapshot(long id, Instant asOf, List<Holding> holdings) {
        this(id, asOf, holdings, true);
    }
}
