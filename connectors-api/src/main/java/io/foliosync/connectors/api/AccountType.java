package io.foliosync.connectors.api;

/** The kind of account a source holds. */
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
