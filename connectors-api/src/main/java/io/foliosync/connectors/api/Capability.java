package io.foliosync.connectors.api;

/**
 * What a connector can return. A connector declares its capabilities up front, so callers never
 * discover a missing feature by catching "not implemented" at run time.
 */
public enum Capability {
    HOLDINGS,
    TRANSACTIONS,
    ACCOUNTS,
    BALANCES,
    PRICES
}
