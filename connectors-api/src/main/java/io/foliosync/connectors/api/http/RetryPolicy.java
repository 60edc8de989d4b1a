package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.FolioSyncException;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.RateLimitException;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import org.apiguardian.api.API;

/**
 * How failed safe calls are retried: exponential backoff with jitter, honouring the server's
 * {@code Retry-After} up to a cap. Validated when built.
 *
 * <p>Retried, by type only: network failures, the statuses of {@link HttpStatusException#isTransientStatus(int)}
 * (5xx, 408, 429), on requests that {@link RequestSafety} allows. A {@code Retry-After} longer than
 * {@link #maxRetryAfter()} is not waited out: the call gives up at once with the response, and the caller's
 * {@code RateLimitException} carries the wait. Retries happen in the HTTP layer only ({@code HttpClients}'
 * interceptor, or the crypto module's call runner, which re-signs each attempt), never stacked on another.
 */
@API(status = INTERNAL, since = "0.1")
public final class RetryPolicy {
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double multiplier;
    private final Duration maxBackoff;
    private final double jitter;
    private final Duration maxRetryAfter;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.multiplier = b.multiplier;
        this.maxBackoff = b.maxBackoff;
        this.jitter = b.jitter;
        this.maxRetryAfter = b.maxRetryAfter;
    }

    /** @return 4 attempts, 500 ms doubling to at most 30 s, 20 % jitter, Retry-After honoured up to 120 s */
    public static RetryPolicy defaults() {
        return builder().build();
    }

    /** @return a policy that tries once */
    public static RetryPolicy none() {
        return builder().maxAttempts(1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * The retry rule for a failure already turned into FolioSync's types, for a layer that retries whole calls
     * (one that must sign each attempt afresh). Transient: {@link NetworkException}, an
     * {@link HttpStatusException} whose status {@link HttpStatusException#isTransientStatus(int) is transient},
     * a {@link RateLimitException} whose {@code Retry-After} is within {@link #maxRetryAfter()}. Everything else
     * (malformed data, authentication, configuration, the store, other 4xx) would fail the same way again.
     *
     * @return whether {@code e} is worth another attempt, attempts left aside
     */
    public boolean isTransient(FolioSyncException e) {
        if (e instanceof RateLimitException r) {
            return r.retryAfter().map(ra -> ra.compareTo(maxRetryAfter) <= 0).orElse(true);
        }
        if (e instanceof HttpStatusException h) {
            return h.isTransient() && h.retryAfter().map(ra -> ra.compareTo(maxRetryAfter) <= 0).orElse(true);
        }
        return e instanceof NetworkException;
    }

    /**
     * @param retryNumber 1 for the wait before the second attempt, 2 before the third...
     * @return the backoff before that retry, jittered downwards by up to {@code jitter}
     */
    public Duration backoff(int retryNumber, Random random) {
        double base = initialBackoff.toMillis() * Math.pow(multiplier, retryNumber - 1);
        double capped = Math.min(base, maxBackoff.toMillis());
        double jittered = capped * (1.0 - jitter * random.nextDouble());
        return Duration.ofMillis(Math.round(jittered));
    }

    /** Builds a {@link RetryPolicy}. */
    public static final class Builder {
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(500);
        private double multiplier = 2.0;
        private Duration maxBackoff = Duration.ofSeconds(30);
        private double jitter = 0.2;
        private Duration maxRetryAfter = Duration.ofSeconds(120);

        private Builder() {
        }

        /** @param n attempts in all, the first included; at least 1 */
        public Builder maxAttempts(int n) { maxAttempts = n; return this; }
        public Builder initialBackoff(Duration d) { initialBackoff = d; return this; }
        public Builder multiplier(double m) { multiplier = m; return this; }
        public Builder maxBackoff(Duration d) { maxBackoff = d; return this; }
        /** @param fraction how much of each backoff may be randomly cut, from 0 to 1 */
        public Builder jitter(double fraction) { jitter = fraction; return this; }
        /** @param d the longest Retry-After waited out; longer ones give up at once */
        public Builder maxRetryAfter(Duration d) { maxRetryAfter = d; return this; }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public RetryPolicy build() {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
            }
            requirePositive("initialBackoff", initialBackoff);
            requirePositive("maxBackoff", maxBackoff);
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            if (maxRetryAfter.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfter must not be negative but was " + maxRetryAfter);
            }
            if (multiplier < 1.0) {
                throw new IllegalArgumentException("multiplier must be at least 1.0 but was " + multiplier);
            }
            if (jitter < 0.0 || jitter > 1.0) {
                throw new IllegalArgumentException("jitter must be between 0 and 1 but was " + jitter);
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff (" + maxBackoff
                        + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
            }
            return new RetryPolicy(this);
        }

        private static void requirePositive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + d);
            }
        }
    }
}
