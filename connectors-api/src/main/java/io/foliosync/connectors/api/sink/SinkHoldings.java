package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.Holding;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An account's holdings snapshot.
 *
 * @param asOf              when the source reported it
 * @param holdings          its positions, cash included; empty when the account holds nothing
 * @param positionsReported false when the source reported cash only (a Flex statement without Open Positions):
 *                          then {@code holdings} says nothing about the positions
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record SinkHoldings(Instant asOf, List<Holding> holdings, boolean positionsReported) {
    public SinkHoldings {
        Objects.requireNonNull(asOf, "asOf");
        holdings = List.copyOf(holdings);
    }
}
