package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * What a connector can return. A connector declares its capabilities up front, so callers never
 * discover a missing feature by catching "not implemented" at run time.
 */
@API(status = STABLE, since = "0.1")
public enum Capability {
    HOLDINGS,
    TRANSACTIONS,
    ACCOUNTS,
    BALANCES,
    PRICES
}
