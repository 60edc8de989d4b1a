package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** Whether an account is usable at its source. */
@API(status = STABLE, since = "0.1")
public enum AccountStatus {
    ACTIVE,
    CLOSED,
    RESTRICTED,
    UNKNOWN
}
