package io.foliosync.connectors.crypto.pacing;

import java.util.Comparator;
import java.util.Iterator;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most N units in any window of length T, however the exchange aligns its windows: a log of charges, each
 * expiring T (plus the margin) after it was counted. Holding it in every sliding window also holds it in every
 * fixed one, and costs nothing against a fixed-window exchange: N calls, then the next N one period later.
 */
final class SlidingWindow extends Budget {
    private static final Logger LOG = LoggerFactory.getLogger(SlidingWindow.class);
    static final double LOWER = 0.9;
    private final long window;
    private double capacity;

    /** A charge in the log; its time changes only while it is out of the log (the log is ordered by it). */
    private static final class Entry extends Slot {
        final long seq;

        Entry(double units, long at, long seq) {
            super(units, at);
            this.seq = seq;
        }
    }

    /** charges by the time they count from, ascending: a settled charge moves later, past others */
    private final TreeSet<Entry> log = new TreeSet<>(Comparator.<Entry>comparingLong(e -> e.at)
            .thenComparingLong(e -> e.seq));
    private long seq;
    private double total;

    SlidingWindow(BudgetSpec spec) {
        super(spec);
        this.window = Math.round(spec.period().toNanos() * (1 + MARGIN));
        this.capacity = spec.capacity();
    }

    private void prune(long now) {
        while (!log.isEmpty() && log.first().at + window <= now) {
            total -= log.pollFirst().units;
        }
    }

    /** @return the earliest time at or after {@code now} when {@code u} more units fit */
    private long fitTime(double u, long now) {
        if (total + u <= capacity + 1e-9) {
            return now;
        }
        double left = total;
        Iterator<Entry> entries = log.iterator();
        long t = now;
        while (entries.hasNext()) {
            Entry e = entries.next();
            left -= e.units;
            t = Math.max(now, e.at + window);
            if (left + u <= capacity + 1e-9) {
                return t;
            }
        }
        // More than a whole window at once (u > capacity): after every charge expired.
        return t;
    }

    private Entry add(double u, long at) {
        Entry e = new Entry(u, at, seq++);
        log.add(e);
        total += u;
        return e;
    }

    @Override
    synchronized Slot reserve(double u, long now) {
        prune(now);
        return add(u, fitTime(u, now));
    }

    @Override
    synchronized void settle(Slot slot, long counted) {
        if (counted <= slot.at || !(slot instanceof Entry e)) {
            return;
        }
        // A call slower than a whole window was pruned meanwhile: it counts again from its answer.
        if (!log.remove(e)) {
            total += e.units;
        }
        e.at = counted;
        log.add(e);
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
            return;   // a limit configured by hand: the retry layer's backoff is all
        }
        prune(now);
        double lowered = Math.max(1, Math.floor(capacity * LOWER));
        if (lowered < capacity) {
            LOG.info("{}: the exchange refused a call: assuming {} units per {} from now on", spec.name(),
                    lowered, spec.period());
        }
        capacity = lowered;
        // Count the window as full from now: nothing more until the Retry-After or one window has passed.
        long until = now + Math.max(retryAfterNanos, 0) - window;
        add(capacity, Math.max(until, now - window + 1));
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
