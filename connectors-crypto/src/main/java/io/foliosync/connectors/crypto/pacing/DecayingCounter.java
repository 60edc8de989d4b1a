package io.foliosync.connectors.crypto.pacing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kraken's call counter: a call adds its cost; the counter falls continuously at the tier's rate; a call that
 * would take it past the maximum is refused. The client's copy is allowed to go past the maximum: that is the
 * queue of callers already told to wait.
 */
final class DecayingCounter extends Budget {
    private static final Logger LOG = LoggerFactory.getLogger(DecayingCounter.class);
    /** A refusal lowers the assumed decay rate by this factor, down to {@link #FLOOR} of the documented one. */
    static final double LOWER = 0.8;
    static final double FLOOR = 0.25;
    private final double capacity;
    private double perNano;
    private final double minPerNano;
    private double level;
    private long last = Long.MIN_VALUE;

    DecayingCounter(BudgetSpec spec) {
        super(spec);
        this.capacity = spec.capacity();
        this.perNano = spec.perSecond() * (1 - MARGIN) / 1e9;
        this.minPerNano = perNano * FLOOR;
    }

    private void decay(long now) {
        if (last != Long.MIN_VALUE && now > last) {
            level = Math.max(0, level - (now - last) * perNano);
        }
        last = Math.max(last, now);
    }

    @Override
    synchronized Slot reserve(double units, long now) {
        decay(now);
        double over = level + units - capacity;
        level += units;
        return new Slot(units, now + (over <= 0 ? 0 : (long) Math.ceil(over / perNano)));
    }

    /**
     * The counter holds the charge as if added at the planned time: by {@code counted} it has decayed by the time
     * between. Added at {@code counted} instead, that decay did not happen: put it back, never more than the
     * charge itself (the counter may have hit 0 meanwhile; then this overstates it, which only costs time).
     */
    @Override
    synchronized void settle(Slot slot, long counted) {
        if (counted <= slot.at) {
            return;
        }
        decay(counted);
        level += Math.min(slot.units, (counted - slot.at) * perNano);
        slot.at = counted;
    }

    @Override
    synchronized long estimate(double units, long now) {
        decay(now);
        double over = level + units - capacity;
        return over <= 0 ? 0 : (long) Math.ceil(over / perNano);
    }

    @Override
    synchronized void refused(long now, long retryAfterNanos) {
        if (!spec.adaptive()) {
            return;   // a limit configured by hand: the retry layer's backoff is all
        }
        decay(now);
        double lowered = Math.max(minPerNano, perNano * LOWER);
        if (lowered < perNano) {
            LOG.info("{}: the exchange refused a call: assuming {} units/s from now on (was {})", spec.name(),
                    String.format("%.3f", lowered * 1e9), String.format("%.3f", perNano * 1e9));
        }
        perNano = lowered;
        // The exchange's counter is at least full; keep it so for the Retry-After if one came.
        double full = capacity + (retryAfterNanos > 0 ? retryAfterNanos * perNano : 0);
        level = Math.max(level, full);
    }

    @Override
    double assumedCapacity() {
        return capacity;
    }

    @Override
    synchronized double assumedPerSecond() {
        return perNano * 1e9;
    }
}
