package io.foliosync.connectors.schwab;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import org.apiguardian.api.API;

/**
 * Hears about the Schwab authorization running out. Schwab's refresh token lasts 7 days from the browser
 * authorization and cannot be renewed without the user, so an application shows these to the user (a
 * notification, a banner). Called on the thread that needed a token; implementations return quickly and
 * never throw.
 */
@API(status = INTERNAL, since = "0.1")
public interface SchwabTokenListener {
    /** A listener that does nothing (the connector still logs both events). */
    SchwabTokenListener NONE = new SchwabTokenListener() {
        @Override
        public void refreshTokenExpiringSoon(Instant expiresAt, Duration remaining) {
        }
    };

    /**
     * Less than 24 hours remain before the user must authorize again. Called once per authorization.
     *
     * @param expiresAt when the refresh token stops working
     * @param remaining how long is left; positive
     */
    void refreshTokenExpiringSoon(Instant expiresAt, Duration remaining);

    /**
     * The refresh token has expired or was refused: nothing syncs over the API until the user authorizes
     * again.
     *
     * @param message what happened and how to re-authorize
     */
    default void reauthorizationRequired(String message) {
    }
}
