package io.foliosync.connectors.crypto.pacing;

/**
 * The client's model of one exchange counter. Times are nanoseconds on the pacer's clock. Every method is
 * thread-safe: accounts that share a budget (same key, or same IP for a per-IP limit) queue on it.
 *
 * <p>A call is charged twice over its life: {@link #reserve} when it is planned, so that callers queue in order,
 * and {@link #settle} when its answer arrived, so that the charge stands at a time the exchange has certainly
 * counted it by. Charging only at the planned time was wrong whenever the request reached the server later than
 * planned (a sleep that overslept, a slow signature, a slow network): the next call, planned from the early
 * charge, then arrived too soon after it and was refused. With the charge moved to the answer's arrival, the
 * next call cannot reach the server sooner than the model allows, whatever the delays.
 */
abstract class Budget {
    /**
     * A margin on every documented rate. Arrival times no longer need it ({@link #settle}); it is kept for what the
     * client cannot see: how the exchange rounds its counter or aligns its decay steps, and its clock's rate.
     * Being relative, it is the same share of the floor at any time scale.
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

    /** One call's charge: {@code units} planned to reach the exchange at {@code at}. */
    static class Slot {
        final double units;
        long at;

        Slot(double units, long at) {
            this.units = units;
            this.at = at;
        }
    }

    /** Charges {@code units} now or as soon as they fit; the slot's {@code at} minus {@code now} is the wait */
    abstract Slot reserve(double units, long now);

    /**
     * The call of {@code slot} has been answered (or failed) at {@code counted}: the exchange counted it at the
     * latest then. Moves the charge there when that is later than planned, so later calls are paced from it.
     */
    abstract void settle(Slot slot, long counted);

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
