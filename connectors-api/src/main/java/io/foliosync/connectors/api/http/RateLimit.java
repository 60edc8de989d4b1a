package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One documented limit, in one of two forms:
 * <ul>
 *   <li>a window ({@link #RateLimit(long, Duration)}): at most {@code permits} calls in any window of length
 *       {@code period}, for APIs that count calls per minute or per second;</li>
 *   <li>a token bucket ({@link #bucket(long, long, Duration)}): up to {@code burst} calls at once, refilled at
 *       {@code permits} per {@code period}, for APIs documented as a decaying counter (Kraken's "15, minus
 *       one every 3 seconds").</li>
 * </ul>
 *
 * @param permits calls allowed (window) or refilled (bucket) per period; at least 1
 * @param period  the window or refill period; positive
 * @param burst   the bucket's capacity; empty for the window form
 */
@API(status = INTERNAL, since = "0.1")
public record RateLimit(long permits, Duration period, Optional<Long> burst) {
    public RateLimit {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(burst, "burst");
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1 but was " + permits);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive but was " + period);
        }
        burst.filter(b -> b < 1).ifPresent(b -> {
            throw new IllegalArgumentException("burst must be at least 1 but was " + b);
        });
    }

    /** A window limit: at most {@code permits} calls in any {@code period}. */
    public RateLimit(long permits, Duration period) {
        this(permits, period, Optional.empty());
    }

    public static RateLimit perSecond(long permits) {
        return new RateLimit(permits, Duration.ofSeconds(1));
    }

    public static RateLimit perMinute(long permits) {
        return new RateLimit(permits, Duration.ofMinutes(1));
    }

    /** A token bucket of {@code capacity} calls, refilled at {@code refill} calls per {@code period}. */
    public static RateLimit bucket(long capacity, long refill, Duration period) {
        return new RateLimit(refill, period, Optional.of(capacity));
    }
}
