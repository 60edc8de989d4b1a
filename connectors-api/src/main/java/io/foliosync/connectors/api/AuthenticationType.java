package io.foliosync.connectors.api;

/** How a bank plugin authenticates its user. */
public enum AuthenticationType {
    /** user name and password, possibly with a second factor */
    CREDENTIALS,
    API_KEY,
    OAUTH2,
    CERTIFICATE,
    /** statement files the user downloads; nothing to log in to */
    FILE
}
