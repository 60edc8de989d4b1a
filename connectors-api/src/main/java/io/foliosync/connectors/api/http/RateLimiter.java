package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.RateLimitException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A client-side limiter (bucket4j) that holds every configured {@link RateLimit}. A window limit is held in any
 * window, not just on average: N per period becomes a bucket of a small burst B refilled at (N - B) per
 * period, so at most B + (N - B) = N calls fit in any window of that length. A bucket limit is the provider's
 * own token bucket. {@link #acquire()} blocks until a permit is
 * free, but never longer than the configured bound.
 */
@API(status = INTERNAL, since = "0.1")
public final class RateLimiter {
    private final String name;
    private final List<RateLimit> limits;
    private final Bucket bucket;
    private final Duration maxWait;
    private final BlockingStrategy blocking;

    private RateLimiter(String name, List<RateLimit> limits, Duration maxWait, Bucket bucket,
                        BlockingStrategy blocking) {
        this.name = name;
        this.limits = limits;
        this.maxWait = maxWait;
        this.blocking = blocking;
        this.bucket = bucket;
    }

    private static Bucket localBucket(List<RateLimit> limits, TimeMeter timeMeter) {
        LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(timeMeter);
        limits.forEach(limit -> builder.addLimit(bandwidth(limit)));
        return builder.build();
    }

    /**
     * The bucket4j configuration that holds {@code limits} as this class documents: what a bucket shared through a
     * database ({@link io.github.bucket4j.distributed.proxy.ProxyManager}) is created with.
     */
    public static BucketConfiguration configuration(List<RateLimit> limits) {
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("a RateLimiter needs at least one RateLimit");
        }
        ConfigurationBuilder builder = BucketConfiguration.builder();
        limits.forEach(limit -> builder.addLimit(bandwidth(limit)));
        return builder.build();
    }

    /**
     * A limiter whose state lives in {@code bucket}, such as a bucket4j proxy to a database row that several
     * processes share (see {@link RateLimiterRegistry#distributed}); {@code bucket} must have been configured with
     * {@link #configuration(List)} of the same {@code limits}.
     */
    static RateLimiter onBucket(String name, Duration maxWait, List<RateLimit> limits, Bucket bucket) {
        validate(name, maxWait, limits);
        return new RateLimiter(name, List.copyOf(limits), maxWait, bucket, BlockingStrategy.PARKING);
    }

    private static void validate(String name, Duration maxWait, List<RateLimit> limits) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative but was " + maxWait);
        }
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("a RateLimiter needs at least one RateLimit");
        }
    }

    /**
     * @param name    what is limited, for messages (such as {@code kraken})
     * @param maxWait the longest {@link #acquire()} blocks before it gives up
     */
    public static RateLimiter of(String name, Duration maxWait, RateLimit... limits) {
        return of(name, maxWait, List.of(limits), TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    /** As {@link #of(String, Duration, RateLimit...)}, on a given clock: for tests. */
    public static RateLimiter of(String name, Duration maxWait, List<RateLimit> limits, TimeMeter timeMeter,
                                 BlockingStrategy blocking) {
        validate(name, maxWait, limits);
        return new RateLimiter(name, List.copyOf(limits), maxWait, localBucket(limits, timeMeter), blocking);
    }

    /**
     * Takes one permit, waiting for it up to the bound.
     *
     * @throws RateLimitException when no permit frees up within the bound
     */
    public void acquire() {
        try {
            if (!bucket.asBlocking().tryConsume(1, maxWait, blocking)) {
                long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
                throw new RateLimitException(name, "client-side rate limit " + limits
                        + " needs a wait longer than " + maxWait, Optional.of(Duration.ofNanos(nanos)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RateLimitException(name, "interrupted while waiting for a rate-limit permit",
                    Optional.empty());
        }
    }

    /** @return a permit if one is free now */
    public boolean tryAcquire() {
        return bucket.tryConsume(1);
    }

    public List<RateLimit> limits() {
        return limits;
    }

    private static Bandwidth bandwidth(RateLimit limit) {
        if (limit.burst().isPresent()) {
            long capacity = limit.burst().get();
            return Bandwidth.builder().capacity(capacity).refillGreedy(limit.permits(), limit.period())
                    .initialTokens(capacity).build();
        }
        long permits = limit.permits();
        if (permits == 1) {
            return Bandwidth.builder().capacity(1).refillIntervally(1, limit.period()).build();
        }
        long burst = Math.max(1, permits / 10);
        return Bandwidth.builder()
                .capacity(burst)
                .refillGreedy(permits - burst, limit.period())
                .initialTokens(burst)
                .build();
    }
}
