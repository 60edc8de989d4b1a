package io.foliosync.connectors.api.http;

import java.time.Duration;
import java.util.Objects;

/**
 * One documented limit: at most {@code permits} calls in any window of length {@code period}.
 *
 * @param permits calls allowed per period; at least 1
 * @param period  the window; positive
 */
public record RateLimit(long permits, Duration period) {
    public RateLimit {
        Objects.requireNonNull(period, "period");
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1 but was " + permits);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive but was " + period);
        }
    }

    public static RateLimit perSecond(long permits) {
        return new RateLimit(permits, Duration.ofSeconds(1));
    }

    public static RateLimit perMinute(long permits) {
        return new RateLimit(permits, Duration.ofMinutes(1));
    }
}
