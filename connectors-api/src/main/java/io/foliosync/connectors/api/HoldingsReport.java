package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The holdings a source reports, and the accounts whose positions it did not report at all. "Not reported" is
 * not "none": a Flex statement without an {@code <OpenPositions>} section says nothing about the account's
 * positions, where one with an empty section says it holds none. An account without positions may still have
 * holdings here (its cash).
 *
 * @param holdings                 the holdings reported, as {@link Connector#getHoldings()} returns them
 * @param accountsWithoutPositions the accounts whose positions (securities, coins: everything but cash) the source
 *                                 did not report; their absence from {@code holdings} means nothing
 */
@API(status = STABLE, since = "0.1")
public record HoldingsReport(List<Holding> holdings, Set<String> accountsWithoutPositions) {
    public HoldingsReport {
        holdings = List.copyOf(Objects.requireNonNull(holdings, "holdings"));
        accountsWithoutPositions = Set.copyOf(Objects.requireNonNull(accountsWithoutPositions,
                "accountsWithoutPositions"));
    }

    /** @return a report of a source that reported every account's positions */
    public static HoldingsReport complete(List<Holding> holdings) {
        return new HoldingsReport(holdings, Set.of());
    }

    /** @return whether the source reported the account's positions (an account it reports nothing for included) */
    public boolean positionsReported(String accountId) {
        return !accountsWithoutPositions.contains(accountId);
    }
}
