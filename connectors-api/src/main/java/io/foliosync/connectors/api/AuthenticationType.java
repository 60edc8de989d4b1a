package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** How a bank plugin authenticates its user. */
@API(status = STABLE, since = "0.1")
public enum AuthenticationType {
    /** user name and password, possibly with a second factor */
    CREDENTIALS,
    API_KEY,
    OAUTH2,
    CERTIFICATE,
    /** statement files the user downloads; nothing to log in to */
    FILE
}
