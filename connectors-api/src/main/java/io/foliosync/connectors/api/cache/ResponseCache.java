package io.foliosync.connectors.api.cache;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * A bounded in-memory cache of responses where every entry has its own time to live (a quote for 60 s,
 * a daily bar history for a day). Built on Caffeine rather than Guava's cache: Caffeine supports a
 * variable, per-entry expiry ({@link Expiry}) and is the cache Guava's authors recommend in its place.
 *
 * @param <V> the cached value type
 */
@API(status = INTERNAL, since = "0.1")
public final class ResponseCache<V> {
    private final Cache<CacheKey, Entry<V>> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    private record Entry<V>(V value, Duration ttl) {
    }

    private ResponseCache(long maximumSize, Ticker ticker) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                .expireAfter(new Expiry<CacheKey, Entry<V>>() {
                    @Override
                    public long expireAfterCreate(CacheKey key, Entry<V> entry, long currentTime) {
                        return entry.ttl().toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(CacheKey key, Entry<V> entry, long currentTime,
                                                  long currentDuration) {
                        return entry.ttl().toNanos();
                    }

                    @Override
                    public long expireAfterRead(CacheKey key, Entry<V> entry, long currentTime,
                                                long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** @return a cache of at most {@code maximumSize} entries on the system clock */
    public static <V> ResponseCache<V> create(long maximumSize) {
        return create(maximumSize, Ticker.systemTicker());
    }

    /** @return a cache on a given ticker: for tests */
    public static <V> ResponseCache<V> create(long maximumSize, Ticker ticker) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be at least 1 but was " + maximumSize);
        }
        return new ResponseCache<>(maximumSize, Objects.requireNonNull(ticker, "ticker"));
    }

    /**
     * @param ttl    how long a freshly loaded value stays; zero or negative disables caching for this call
     * @param loader loads the value on a miss; its exceptions propagate and nothing is cached
     * @return the cached value, or the loaded one
     */
    public V get(CacheKey key, Duration ttl, Supplier<V> loader) {
        Objects.requireNonNull(key, "key");
        Entry<V> cached = cache.getIfPresent(key);
        if (cached != null) {
            hits.increment();
            return cached.value();
        }
        misses.increment();
        V value = Objects.requireNonNull(loader.get(), "a cache loader must not return null");
        if (ttl.compareTo(Duration.ZERO) > 0) {
            cache.put(key, new Entry<>(value, ttl));
        }
        return value;
    }

    /** @return the cached value, when present and fresh */
    public Optional<V> getIfPresent(CacheKey key) {
        return Optional.ofNullable(cache.getIfPresent(key)).map(Entry::value);
    }

    public void put(CacheKey key, V value, Duration ttl) {
        cache.put(key, new Entry<>(Objects.requireNonNull(value), ttl));
    }

    public void invalidate(CacheKey key) {
        cache.invalidate(key);
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }

    public long hitCount() {
        return hits.sum();
    }

    public long missCount() {
        return misses.sum();
    }
}
