package io.foliosync.imports;

import java.time.Duration;
import java.time.Instant;

/**
 * Periods aligned to the epoch: a source with a period of 10 s syncs at :00, :10, :20 on every instance, so "this
 * period's sync" means the same to all of them and a count per period window is exact.
 */
final class SyncPeriods {
    private SyncPeriods() {
    }

    /** @return the start of the period holding {@code t} */
    static Instant startOf(Instant t, Duration period) {
        long p = period.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), p) * p);
    }

    /** @return the start of the first period after the one holding {@code t} */
    static Instant nextStart(Instant t, Duration period) {
        return startOf(t, period).plus(period);
    }

    /**
     * When the sync after one scheduled at {@code scheduled} runs: the next period's start, or, when that has passed
     * already (every instance was down for a while), the current period's start, so the current period gets one sync
     * now and the missed periods are not replayed one after another.
     */
    static Instant after(Instant scheduled, Duration period, Instant now) {
        Instant next = nextStart(scheduled, period);
        Instant current = startOf(now, period);
        return next.isBefore(current) ? current : next;
    }
}
