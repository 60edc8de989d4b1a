package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.RateLimitException;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The exchange has banned this IP address for a while (Binance answers HTTP 418 after 429s were ignored). Never
 * retried: every further call would lengthen the ban. {@link #retryAfter()} says when calls may resume.
 */
@API(status = INTERNAL, since = "0.1")
public final class IpBanException extends RateLimitException {
    private static final long serialVersionUID = 1L;

    public IpBanException(String source, String message, Optional<Duration> retryAfter) {
        super(source, message, retryAfter);
    }
}
