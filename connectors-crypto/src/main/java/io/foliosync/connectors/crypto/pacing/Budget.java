package io.foliosync.connectors.crypto.pacing;

/**
 * The client's model of one exchange counter. Times are nanoseconds on the pacer's clock. Every method is
 * thread-safe: accounts that share a budget (same key, or same IP for a per-IP limit) queue on it.
 */
abstract class Budget {
    /**
     * A margin on every documented figure: the exchange starts counting when a request arrives, slightly after the
     * client charged it, and clocks drift. 3% costs 3% of the floor and keeps refusals away.
     */
    static final double MARGIN = 0.03;

    final BudgetSpec spec;

    Budget(BudgetSpec spec) {
        this.spec = spec;
    }

    static Budget of(BudgetSpec spec) {
        return switch (spec.kind()) {
            case DECAYING -> new DecayingCounter(spec);
            case SLIDING_WINDOW -> new SlidingWindow(spec);
            case FIXED_WINDOW -> new FixedWindow(spec);
        };
    }

    /** Charges {@code units} now or as soon as they fit; @return the nanoseconds the caller must wait first */
    abstract long reserve(double units, long now);

    /** @return nanoseconds until {@code units} more could all have been charged, charging nothing */
    abstract long estimate(double units, long now);

    /**
     * The exchange refused a call: count the budget as spent until {@code retryAfterNanos} (or for one period) and,
     * if adaptive, assume a smaller budget from now on.
     */
    abstract void refused(long now, long retryAfterNanos);

    /** The exchange's own count of units used in its current window (Binance's header), when it reports one. */
    void observed(double used, long now, long wallMillis) {
    }

    /** @return the capacity assumed now (lowered by refusals) */
    abstract double assumedCapacity();

    /** @return the recovery rate assumed now, units a second */
    abstract double assumedPerSecond();
}
