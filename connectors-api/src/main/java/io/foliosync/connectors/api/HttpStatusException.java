package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The source answered with a status FolioSync did not expect. 401 and 403 are
 * {@link AuthenticationException} and a 429 the caller could not wait out a {@link RateLimitException}
 * instead, where the connector knows it. {@link #isTransientStatus(int)} says which statuses the HTTP layer
 * retries.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class HttpStatusException extends DataFetchException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient Optional<Duration> retryAfter;
    private final String detail;

    /**
     * @param detail a short part of the body for a person (a snippet, the source's error text); never a secret;
     *               may be null
     */
    public HttpStatusException(String source, String endpoint, int status, Optional<Duration> retryAfter,
                               String detail) {
        super(source, endpoint, null, null, status,
                "HTTP " + status + (detail == null || detail.isBlank() ? "" : ": " + detail), null);
        this.status = status;
        this.retryAfter = Objects.requireNonNullElse(retryAfter, Optional.empty());
        this.detail = detail == null ? "" : detail;
    }

    public int status() {
        return status;
    }

    /** @return how long the source asked to wait ({@code Retry-After}), when it said */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** @return the short body detail the message shows; empty when there was none */
    public String detail() {
        return detail;
    }

    /** @return whether this answer may go away by itself: a 5xx, 408 Request Timeout or 429 */
    public boolean isTransient() {
        return isTransientStatus(status);
    }

    /**
     * The one rule for statuses worth another attempt: the server was overloaded, failing or timing out,
     * none of which says the request itself was wrong. Every other 4xx would fail the same way again.
     *
     * @return whether a call answered with {@code status} may succeed if sent again
     */
    public static boolean isTransientStatus(int status) {
        return status == 408 || status == 429 || (status >= 500 && status <= 599);
    }
}
