package io.foliosync.connectors.api.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Shares one {@link RateLimiter} per provider and API key, so several connectors (or several sources
 * configured with the same key) spend one budget, as the provider counts it. Keys are held only as a
 * SHA-256 fingerprint.
 */
public final class RateLimiterRegistry {
    private static final RateLimiterRegistry SHARED = new RateLimiterRegistry();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, Object> others = new ConcurrentHashMap<>();

    /** @return the process-wide registry */
    public static RateLimiterRegistry shared() {
        return SHARED;
    }

    /** @return a registry of its own, for tests or isolated SDK instances */
    public static RateLimiterRegistry isolated() {
        return new RateLimiterRegistry();
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
