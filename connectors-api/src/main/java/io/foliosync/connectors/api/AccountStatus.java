package io.foliosync.connectors.api;

/** Whether an account is usable at its source. */
public enum AccountStatus {
    ACTIVE,
    CLOSED,
    RESTRICTED,
    UNKNOWN
}
