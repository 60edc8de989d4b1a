package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.schwab.SchwabTokenListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out a valid access token: refreshes it ahead of expiry, once even when many threads need one at the
 * same moment (single flight under a lock, re-checked after acquiring it), tracks the refresh token's age
 * and warns when under 24 hours remain.
 */
@API(status = INTERNAL, since = "0.1")
public final class TokenManager {
    /**
     * Refresh at most this long before the access token expires, so a request never leaves with a dying token;
     * also the margin for a stored token whose lifetime is unknown.
     */
    public static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
    /** Refresh at least this long before expiry: a request in flight still needs the token when it arrives. */
    static final Duration MIN_REFRESH_AHEAD = Duration.ofSeconds(1);
    /** Warn when less than this remains of the refresh token. */
    public static final Duration WARN_BEFORE = Duration.ofHours(24);
    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

    private final TokenStore store;
    private final OAuthClient oauth;
    private final Clock clock;
    private final SchwabTokenListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile StoredTokens tokens;
    private volatile boolean loaded;
    private volatile Instant warnedFor;

    public TokenManager(TokenStore store, OAuthClient oauth, Clock clock, SchwabTokenListener listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.oauth = Objects.requireNonNull(oauth, "oauth");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** @return the stored tokens, loaded from the store on first use */
    public Optional<StoredTokens> current() {
        if (!loaded) {
            lock.lock();
            try {
                if (!loaded) {
                    tokens = store.load().orElse(null);
                    loaded = true;
                }
            } finally {
                lock.unlock();
            }
        }
        return Optional.ofNullable(tokens);
    }

    /** Stores the tokens of a new authorization. */
    public void install(StoredTokens fresh) {
        lock.lock();
        try {
            store.save(fresh);
            tokens = fresh;
            loaded = true;
            warnedFor = null;
        } finally {
            lock.unlock();
        }
    }

    /** @return when the user must authorize again, when authorized */
    public Optional<Instant> refreshTokenExpiresAt() {
        return current().map(StoredTokens::refreshTokenExpiresAt);
    }

    /**
     * @return a valid access token
     * @throws AuthenticationException saying "re-authorize" and how, when there are no tokens or the refresh
     *                                 token has expired or was refused
     */
    public String accessToken() {
        StoredTokens t = requireTokens();
        checkRefreshTokenAge(t);
        if (isFresh(t)) {
            return t.accessToken();
        }
        lock.lock();
        try {
            t = requireTokens();
            if (isFresh(t)) {
                return t.accessToken(); // another thread refreshed while this one waited
            }
            return refreshLocked(t).accessToken();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refreshes after the API refused {@code rejectedToken}, unless another thread already replaced it.
     *
     * @return the access token to retry with
     */
    public String refreshAfterRejection(String rejectedToken) {
        lock.lock();
        try {
            StoredTokens t = requireTokens();
            if (!t.accessToken().equals(rejectedToken)) {
                return t.accessToken();
            }
            return refreshLocked(t).accessToken();
        } finally {
            lock.unlock();
        }
    }

    private StoredTokens refreshLocked(StoredTokens t) {
        requireRefreshTokenAlive(t);
        LOG.debug("schwab: refreshing the access token (expires {})", t.accessTokenExpiresAt());
        StoredTokens refreshed;
        try {
            refreshed = oauth.refresh(t);
        } catch (AuthenticationException e) {
            listener.reauthorizationRequired(e.getMessage());
            throw e;
        }
        store.save(refreshed);
        tokens = refreshed;
        return refreshed;
    }

    private StoredTokens requireTokens() {
        return current().orElseThrow(() -> new AuthenticationException(SchwabIds.SOURCE,
                "not authorized yet (no tokens in " + store.file() + "): authorize: " + SchwabIds.REAUTHORIZE_HOW));
    }

    private boolean isFresh(StoredTokens t) {
        return clock.instant().plus(refreshAhead(t)).isBefore(t.accessTokenExpiresAt());
    }

    /**
     * A tenth of the access token's lifetime, between {@link #MIN_REFRESH_AHEAD} and {@link #REFRESH_AHEAD}: a
     * fixed margin as long as the token (a server handing out 2-minute tokens) would refresh on every call.
     */
    static Duration refreshAhead(StoredTokens t) {
        return t.accessTokenLifetime().map(life -> {
            Duration tenth = life.dividedBy(10);
            if (tenth.compareTo(MIN_REFRESH_AHEAD) < 0) {
                return MIN_REFRESH_AHEAD;
            }
            return tenth.compareTo(REFRESH_AHEAD) > 0 ? REFRESH_AHEAD : tenth;
        }).orElse(REFRESH_AHEAD);
    }

    private void checkRefreshTokenAge(StoredTokens t) {
        Instant now = clock.instant();
        Instant expiresAt = t.refreshTokenExpiresAt();
        Duration remaining = Duration.between(now, expiresAt);
        if (remaining.isNegative() || remaining.isZero()) {
            return; // reported when a refresh is needed, the only time the refresh token is used
        }
        if (remaining.compareTo(WARN_BEFORE) < 0 && !t.authorizedAt().equals(warnedFor)) {
            warnedFor = t.authorizedAt();
            LOG.warn("schwab: the authorization expires at {} (in {} h {} min); re-authorize before then: {}",
                    expiresAt, remaining.toHours(), remaining.toMinutesPart(), SchwabIds.REAUTHORIZE_HOW);
            try {
                listener.refreshTokenExpiringSoon(expiresAt, remaining);
            } catch (RuntimeException e) {
                LOG.warn("schwab: the token listener failed: {}", e.toString());
            }
        }
    }

    private void requireRefreshTokenAlive(StoredTokens t) {
        Instant expiresAt = t.refreshTokenExpiresAt();
        if (!clock.instant().isBefore(expiresAt)) {
            String message = "the refresh token expired at " + expiresAt + " (7 days after the authorization at "
                    + t.authorizedAt() + "): re-authorize: " + SchwabIds.REAUTHORIZE_HOW;
            LOG.warn("schwab: {}", message);
            listener.reauthorizationRequired(message);
            throw new AuthenticationException(SchwabIds.SOURCE, message);
        }
    }
}
