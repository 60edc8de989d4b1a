package io.foliosync.connectors.crypto.pacing;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One documented limit, validated when built: either a decaying counter (Kraken: a counter of at most
 * {@code capacity} units that falls by {@code units / period}) or a window ({@code units} cost units in any
 * {@code period}: Binance's request weight, OKX's and Gate.io's "N requests per T").
 *
 * @param name     what the exchange calls it, for logs and errors (such as {@code private-counter})
 * @param kind     decaying counter, sliding window or fixed window aligned on the clock
 * @param scope    who the exchange counts it for: decides which accounts share it
 * @param capacity the counter's maximum (decaying) or the units allowed per window
 * @param rate     units the counter falls by per {@code period} (decaying only; equal to capacity for windows)
 * @param period   the decay period or window length
 * @param adaptive whether a refusal by the exchange lowers the assumed budget for the rest of the sync
 */
@API(status = INTERNAL, since = "0.1")
public record BudgetSpec(String name, Kind kind, Scope scope, double capacity, double rate, Duration period,
                         boolean adaptive) {

    /** How the exchange counts. */
    public enum Kind { DECAYING, SLIDING_WINDOW, FIXED_WINDOW }

    /** Who a limit is counted for; accounts share a budget only when the exchange shares it. */
    public enum Scope {
        /** per API key: two keys, two budgets */
        KEY,
        /** per user id: keys of one user share it; FolioSync cannot see the user id and counts per key */
        UID,
        /** per IP address: every account of that exchange on this machine shares it */
        IP
    }

    public BudgetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(period, "period");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a budget needs a name");
        }
        if (!(capacity >= 1) || Double.isInfinite(capacity)) {
            throw new IllegalArgumentException(name + ": capacity must be at least 1 but was " + capacity);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(name + ": rate must be positive but was " + rate);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(name + ": period must be positive but was " + period);
        }
    }

    /** Kraken's counter: at most {@code max} units, falling by {@code perSecond} a second. */
    public static BudgetSpec decaying(String name, Scope scope, double max, double perSecond) {
        return new BudgetSpec(name, Kind.DECAYING, scope, max, perSecond, Duration.ofSeconds(1), true);
    }

    /** At most {@code units} in any window of {@code period} (the exchange may count fixed or sliding windows). */
    public static BudgetSpec window(String name, Scope scope, double units, Duration period) {
        return new BudgetSpec(name, Kind.SLIDING_WINDOW, scope, units, units, period, true);
    }

    /** At most {@code units} per window aligned on the clock (Binance's minute), as the exchange reports it. */
    public static BudgetSpec fixedWindow(String name, Scope scope, double units, Duration period) {
        return new BudgetSpec(name, Kind.FIXED_WINDOW, scope, units, units, period, true);
    }

    /** @return this budget, not lowered by refusals (a limit the user configured by hand) */
    public BudgetSpec fixed() {
        return new BudgetSpec(name, kind, scope, capacity, rate, period, false);
    }

    /** @return this budget with time running {@code factor} times faster (benches against a stand-in only) */
    public BudgetSpec speedUp(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("factor must be positive but was " + factor);
        }
        return new BudgetSpec(name, kind, scope, capacity, rate, Duration.ofNanos(Math.max(1,
                Math.round(period.toNanos() / factor))), adaptive);
    }

    /** @return units the budget recovers per second in the long run */
    public double perSecond() {
        return rate * 1e9 / period.toNanos();
    }
}
