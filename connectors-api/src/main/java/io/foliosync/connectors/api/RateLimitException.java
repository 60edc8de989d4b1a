package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/** The source, or FolioSync's own limiter, refused a call because too many were made. */
@API(status = EXPERIMENTAL, since = "0.1")
public class RateLimitException extends ConnectorException {
    private static final long serialVersionUID = 1L;
    private final transient Optional<Duration> retryAfter;

    /**
     * @param retryAfter how long the source asked to wait, when it said
     */
    public RateLimitException(String source, String message, Optional<Duration> retryAfter) {
        super(source, message);
        this.retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
    }

    /** @return how long to wait before the next call, when the source said */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
