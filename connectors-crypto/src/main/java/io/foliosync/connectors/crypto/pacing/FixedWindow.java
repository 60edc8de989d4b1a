package io.foliosync.connectors.crypto.pacing;

import java.util.Map;
import java.util.TreeMap;

/**
 * A window aligned on the wall clock, as Binance counts request weight ({@code X-MBX-USED-WEIGHT-1M} is the weight
 * used in the current clock minute): a charge that does not fit waits for the next window. The exchange's reported
 * count replaces the client's when it is higher (another program on the same IP, or calls before this one).
 */
final class FixedWindow extends Budget {
    private final long window;
    private double capacity;
    /** window index → units charged in it */
    private final TreeMap<Long, Double> used = new TreeMap<>();
    private long wallOffset;
    private boolean wallKnown;
    private long blockedUntil = Long.MIN_VALUE;

    FixedWindow(BudgetSpec spec) {
        super(spec);
        this.window = spec.period().toNanos();
        this.capacity = spec.capacity();
    }

    /** A charge and the window it was put in. */
    private static final class InWindow extends Slot {
        final long index;

        InWindow(double units, long at, long index) {
            super(units, at);
            this.index = index;
        }
    }

    @Override
    synchronized Slot reserve(double u, long now) {
        long start = Math.max(now, blockedUntil);
        long index = Math.floorDiv(wall(start), window);
        used.headMap(Math.floorDiv(wall(now), window)).clear();
        while (used.getOrDefault(index, 0.0) + u > capacity + 1e-9 && used.getOrDefault(index, 0.0) > 0) {
            index++;
        }
        used.merge(index, u, Double::sum);
        long at = Math.max(start, index * window - wallOffset);
        return new InWindow(u, at, index);
    }

    /**
     * A call answered in a later window than it was put in may have reached the exchange in either: the exchange
     * counts it in one, the client in both, which can only make it wait longer.
     */
    @Override
    synchronized void settle(Slot slot, long counted) {
        if (!(slot instanceof InWindow w)) {
            return;
        }
        long index = Math.floorDiv(wall(counted), window);
        if (index > w.index) {
            used.merge(index, w.units, Double::sum);
        }
    }

    @Override
    synchronized long estimate(double u, long now) {
        long start = Math.max(now, blockedUntil);
        long index = Math.floorDiv(wall(start), window);
        double left = capacity - used.getOrDefault(index, 0.0);
        if (u <= left) {
            return start - now;
        }
        long windows = (long) Math.ceil((u - left) / capacity);
        return (index + windows) * window - wallOffset - now;
    }

    /** Nanos on the pacer's clock → nanos on the wall clock, once the offset is known; else the pacer's. */
    private long wall(long now) {
        return now + wallOffset;
    }

    /** Aligns windows on the wall clock: {@code wallMillis} is the wall time at pacer time {@code now}. */
    synchronized void align(long now, long wallMillis) {
        if (!wallKnown) {
            wallOffset = wallMillis * 1_000_000L - now;
            wallKnown = true;
        }
    }

    @Override
    synchronized void observed(double serverUsed, long now, long wallMillis) {
        align(now, wallMillis);
        long index = Math.floorDiv(wall(now), window);
        used.merge(index, serverUsed, Math::max);
    }

    @Override
    synchronized void refused(long now, long retryAfterNanos) {
        if (!spec.adaptive()) {
            return;   // a limit configured by hand: the retry layer's backoff is all
        }
        blockedUntil = Math.max(blockedUntil, now + Math.max(retryAfterNanos, 0));
        long index = Math.floorDiv(wall(now), window);
        used.put(index, capacity);
        capacity = Math.max(1, Math.floor(capacity * SlidingWindow.LOWER));
    }

    @Override
    synchronized double assumedCapacity() {
        return capacity;
    }

    @Override
    synchronized double assumedPerSecond() {
        return capacity * 1e9 / window;
    }

    /** For tests: the units charged in each window. */
    synchronized Map<Long, Double> windows() {
        return Map.copyOf(used);
    }
}
