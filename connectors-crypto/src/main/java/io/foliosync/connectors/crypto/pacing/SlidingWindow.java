package io.foliosync.connectors.crypto.pacing;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most N units in any window of length T, however the exchange aligns its windows: a log of charges, each
 * expiring T (plus the margin) after it was made. Holding it in every sliding window also holds it in every
 * fixed one, and costs nothing against a fixed-window exchange: N calls, then the next N one period later.
 */
final class SlidingWindow extends Budget {
    private static final Logger LOG = LoggerFactory.getLogger(SlidingWindow.class);
    static final double LOWER = 0.9;
    private final long window;
    private double capacity;
    /** charge times (nanos), ascending, and their units */
    private final ArrayDeque<long[]> log = new ArrayDeque<>();
    private final ArrayDeque<Double> units = new ArrayDeque<>();
    private double total;

    SlidingWindow(BudgetSpec spec) {
        super(spec);
        this.window = Math.round(spec.period().toNanos() * (1 + MARGIN));
        this.capacity = spec.capacity();
    }

    private void prune(long now) {
        while (!log.isEmpty() && log.peekFirst()[0] + window <= now) {
            log.pollFirst();
            total -= units.pollFirst();
        }
    }

    /** @return the earliest time at or after {@code now} when {@code u} more units fit */
    private long fitTime(double u, long now) {
        if (total + u <= capacity + 1e-9) {
            return now;
        }
        double left = total;
        Iterator<long[]> times = log.iterator();
        Iterator<Double> amounts = units.iterator();
        long t = now;
        while (times.hasNext()) {
            long at = times.next()[0];
            left -= amounts.next();
            t = Math.max(now, at + window);
            if (left + u <= capacity + 1e-9) {
                return t;
            }
        }
        // More than a whole window at once (u > capacity): after every charge expired.
        return t;
    }

    @Override
    synchronized long reserve(double u, long now) {
        prune(now);
        long at = fitTime(u, now);
        log.addLast(new long[] {at});
        units.addLast(u);
        total += u;
        return at - now;
    }

    @Override
    synchronized long estimate(double u, long now) {
        prune(now);
        double perWindow = capacity;
        if (u <= perWindow) {
            return fitTime(u, now) - now;
        }
        // Whole windows for what does not fit in the first one.
        long first = fitTime(perWindow, now) - now;
        double rest = u - perWindow;
        return first + (long) Math.ceil(rest / perWindow) * window;
    }

    @Override
    synchronized void refused(long now, long retryAfterNanos) {
        if (!spec.adaptive()) {
            return;   // a limit configured by hand: the retry layer\'s backoff is all
        }
        prune(now);
        if (spec.adaptive()) {
            double lowered = Math.max(1, Math.floor(capacity * LOWER));
            if (lowered < capacity) {
                LOG.info("{}: the exchange refused a call: assuming {} units per {} from now on", spec.name(),
                        lowered, spec.period());
            }
            capacity = lowered;
        }
        // Count the window as full from now: nothing more until the Retry-After or one window has passed.
        long until = now + Math.max(retryAfterNanos, 0) - window;
        log.addLast(new long[] {Math.max(until, now - window + 1)});
        double fill = capacity;
        units.addLast(fill);
        total += fill;
    }

    @Override
    synchronized double assumedCapacity() {
        return capacity;
    }

    @Override
    synchronized double assumedPerSecond() {
        return capacity * 1e9 / window;
    }
}
