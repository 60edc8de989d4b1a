package io.foliosync.connectors.marketdata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map holding at most {@code maxEntries} values, dropping the least recently used one when full: a long
 * running process asking for ever more symbols keeps a bounded amount in memory. Thread-safe; each call holds
 * the lock only for the map operation.
 */
final class LruStore<K, V> {
    private final int maxEntries;
    private final Map<K, V> map;

    LruStore(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1 but was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > LruStore.this.maxEntries;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    synchronized int size() {
        return map.size();
    }

    int maxEntries() {
        return maxEntries;
    }
}
