package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The kind of account a source holds. */
@API(status = STABLE, since = "0.1")
public enum AccountType {
    BROKERAGE,
    RETIREMENT,
    MARGIN,
    CRYPTO,
    CHECKING,
    SAVINGS,
    CREDIT_CARD,
    OTHER
}
