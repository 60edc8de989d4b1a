package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** Names shared across the module. */
@API(status = INTERNAL, since = "0.1")
public final class SchwabIds {
    /** The connector id: in records' {@code source}, in error messages, in the rate-limiter registry. */
    public static final String SOURCE = "schwab";
    /** What a user runs to authorize again. */
    public static final String REAUTHORIZE_HOW = "run `foliosync schwab login` (or call "
            + "SchwabConnector.authorizeInteractively / authorizationUrl() + completeAuthorization(callbackUrl)) "
            + "and sign in to Schwab in the browser";

    private SchwabIds() {
    }
}
