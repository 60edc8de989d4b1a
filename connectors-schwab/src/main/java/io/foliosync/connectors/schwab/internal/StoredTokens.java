package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The OAuth tokens of one Schwab authorization.
 *
 * @param accessToken          the bearer token (about 30 minutes)
 * @param accessTokenExpiresAt when the access token stops working
 * @param refreshToken         the refresh token (7 days from the browser authorization, not renewable)
 * @param authorizedAt         when the user authorized in the browser: the refresh token's age counts from here
 * @param accessTokenIssuedAt  when the access token was obtained, so its lifetime is known; empty for a token
 *                             stored before this was recorded
 */
@API(status = INTERNAL, since = "0.1")
public record StoredTokens(String accessToken, Instant accessTokenExpiresAt, String refreshToken,
                           Instant authorizedAt, Optional<Instant> accessTokenIssuedAt) {
    /** Schwab's refresh tokens last 7 days from the authorization and cannot be renewed without the user. */
    public static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(7);

    public StoredTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(accessTokenExpiresAt, "accessTokenExpiresAt");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(authorizedAt, "authorizedAt");
        Objects.requireNonNull(accessTokenIssuedAt, "accessTokenIssuedAt");
    }

    /** Tokens whose access token's issue time is not known (stored by an earlier version). */
    public StoredTokens(String accessToken, Instant accessTokenExpiresAt, String refreshToken, Instant authorizedAt) {
        this(accessToken, accessTokenExpiresAt, refreshToken, authorizedAt, Optional.empty());
    }

    /** @return how long the access token was granted for, when its issue time is known */
    public Optional<Duration> accessTokenLifetime() {
        return accessTokenIssuedAt.map(issued -> Duration.between(issued, accessTokenExpiresAt));
    }

    public Instant refreshTokenExpiresAt() {
        return authorizedAt.plus(REFRESH_TOKEN_LIFETIME);
    }

    @Override
    public String toString() {
        return "StoredTokens[accessTokenExpiresAt=" + accessTokenExpiresAt + ", authorizedAt=" + authorizedAt
                + ", tokens=****]";
    }
}
