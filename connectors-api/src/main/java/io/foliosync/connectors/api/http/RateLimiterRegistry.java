package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Shares one {@link RateLimiter} per provider and API key, so several connectors (or several sources
 * configured with the same key) spend one budget, as the provider counts it. Keys are held only as a
 * SHA-256 fingerprint.
 *
 * <p>Two kinds of limit: {@link #limiterFor} is held in this process (an exchange key's limit: one account, synced
 * by one process at a time); {@link #sharedLimiterFor} and {@link #sharedBucket} are limits that every process
 * using the same key or address spends together (a market-data key used for every portfolio, a per-IP limit).
 * A registry made with {@link #distributed} keeps the latter in buckets that several processes share (bucket4j's
 * {@link ProxyManager}, a PostgreSQL table in FolioSync); the others keep them in-process too.
 */
@API(status = INTERNAL, since = "0.1")
public final class RateLimiterRegistry {
    private static final RateLimiterRegistry SHARED = new RateLimiterRegistry(Optional.empty());
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, Object> others = new ConcurrentHashMap<>();
    // apart from `others`: a factory given to shared() may ask for a bucket, and a ConcurrentHashMap must not be
    // updated from inside its own computeIfAbsent
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Optional<ProxyManager<String>> sharedBuckets;

    private RateLimiterRegistry(Optional<ProxyManager<String>> sharedBuckets) {
        this.sharedBuckets = sharedBuckets;
    }

    /** @return the process-wide registry */
    public static RateLimiterRegistry shared() {
        return SHARED;
    }

    /** @return a registry of its own, for tests or isolated SDK instances */
    public static RateLimiterRegistry isolated() {
        return new RateLimiterRegistry(Optional.empty());
    }

    /**
     * @param buckets where limits shared across processes keep their state, by id (FolioSync: the
     *                {@code rate_limit_buckets} table of its PostgreSQL database)
     * @return a registry whose {@link #sharedLimiterFor shared limits} are counted across every process that uses
     *         the same {@code buckets}; per-key limits ({@link #limiterFor}) stay in this process
     */
    public static RateLimiterRegistry distributed(ProxyManager<String> buckets) {
        return new RateLimiterRegistry(Optional.of(Objects.requireNonNull(buckets, "buckets")));
    }

    /** @return whether shared limits are counted across processes (see {@link #distributed}) */
    public boolean isDistributed() {
        return sharedBuckets.isPresent();
    }

    /**
     * A limit that every process using {@code key} spends together: a market-data provider's key (used for every
     * portfolio), or a per-IP limit ({@code key} = {@code ip:host}). In a {@link #distributed} registry its state
     * is a shared bucket, so N processes together stay within {@code limits}; otherwise it is held in this process.
     *
     * @param provider what is limited, such as {@code tiingo}
     * @param key      what the provider counts by; held as a fingerprint only, never stored in clear
     * @param maxWait  the longest {@link RateLimiter#acquire()} blocks
     * @return the one limiter for this provider, key and limits in this process
     */
    public RateLimiter sharedLimiterFor(String provider, String key, Duration maxWait, List<RateLimit> limits) {
        String id = sharedId(provider, key, limits);
        return limiters.computeIfAbsent("shared:" + id, k -> sharedBuckets
                .map(b -> RateLimiter.onBucket(provider, maxWait, limits, bucket(b, id, limits)))
                .orElseGet(() -> RateLimiter.of(provider, maxWait, List.copyOf(limits), TimeMeter.SYSTEM_NANOTIME,
                        BlockingStrategy.PARKING)));
    }

    /**
     * The shared bucket for a limit of {@code provider} counted by {@code key}, when this registry is
     * {@link #distributed}: for a connector with its own pacing model (the crypto exchanges' per-IP weight) that
     * keeps such a budget in the shared store. Empty in a registry that is not distributed: keep it in-process.
     */
    public Optional<Bucket> sharedBucket(String provider, String key, List<RateLimit> limits) {
        return sharedBuckets.map(b -> {
            String id = sharedId(provider, key, limits);
            return buckets.computeIfAbsent(id, k -> bucket(b, id, limits));
        });
    }

    // the limits are part of the id: a bucket keeps the configuration it was created with, so a changed limit
    // must start a bucket of its own rather than be silently held to the old one
    private static String sharedId(String provider, String key, List<RateLimit> limits) {
        return provider + ":" + fingerprint(key == null ? "" : key) + ":" + fingerprint(limits.toString());
    }

    private static Bucket bucket(ProxyManager<String> buckets, String id, List<RateLimit> limits) {
        BucketConfiguration configuration = RateLimiter.configuration(limits);
        return buckets.builder().build(id, () -> configuration);
    }

    /**
     * @param provider the provider the limit belongs to, such as {@code binance}
     * @param apiKey   the key the provider counts by; empty or null for a per-IP limit
     * @param factory  makes the limiter the first time this provider and key are seen
     * @return the one limiter for this provider and key
     */
    public RateLimiter limiterFor(String provider, String apiKey, Supplier<RateLimiter> factory) {
        String id = provider + ":" + fingerprint(apiKey == null ? "" : apiKey);
        return limiters.computeIfAbsent(id, k -> factory.get());
    }

    /**
     * Shares any other limit state (a connector's own budget model) the same way: one per provider and key.
     *
     * @param provider what is limited, such as {@code pacing:kraken:private}; include whatever makes two
     *                 configurations different
     * @param key      what the provider counts by (an API key, or {@code ip:host} for a per-IP limit); held as a
     *                 fingerprint only
     * @return the one instance for this provider and key
     */
    public <T> T shared(String provider, String key, Class<T> type, Supplier<T> factory) {
        String id = provider + ":" + fingerprint(key == null ? "" : key);
        return type.cast(others.computeIfAbsent(id, k -> factory.get()));
    }

    static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
