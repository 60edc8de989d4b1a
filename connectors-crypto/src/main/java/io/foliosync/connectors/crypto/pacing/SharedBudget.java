package io.foliosync.connectors.crypto.pacing;

import io.foliosync.connectors.api.http.RateLimit;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.List;

/**
 * A per-IP budget whose state is a bucket shared by every FolioSync process on the same database
 * ({@code RateLimiterRegistry.distributed}): several instances behind one address spend the exchange's per-IP limit
 * (Binance's request weight) together. Units are counted in thousandths, as tokens, so fractional costs and rates
 * stay exact in bucket4j's integer arithmetic.
 *
 * <p>What it gives up against the in-process budgets: a charge stands from when the call was planned, not moved to
 * when its answer arrived ({@link #settle} does nothing: the other processes cannot see the move), so the window is
 * held with the documented {@link Budget#MARGIN} taken off the capacity instead; a refusal spends what is left in
 * the bucket for everyone but does not lower the assumed budget; the exchange's own usage header is not applied.
 */
final class SharedBudget extends Budget {
    static final long SCALE = 1000;
    private final Bucket bucket;

    private SharedBudget(BudgetSpec spec, Bucket bucket) {
        super(spec);
        this.bucket = bucket;
    }

    static SharedBudget on(BudgetSpec spec, Bucket bucket) {
        return new SharedBudget(spec, bucket);
    }

    /**
     * The limits a shared bucket for {@code spec} is created with. A window of C units holds as a bucket of burst B
     * (at least the largest single cost) refilled at C - B per window, so no window sees more than C; where the
     * largest cost is the whole window (one call a second), the bucket refills C per two windows instead, slower
     * but never over. A decaying counter is a token bucket as documented.
     */
    static List<RateLimit> limits(BudgetSpec spec, double maxCost) {
        long capacity = (long) Math.floor(spec.capacity() * (1 - MARGIN) * SCALE);
        long largest = tokens(maxCost);
        if (spec.kind() == BudgetSpec.Kind.DECAYING) {
            long rate = Math.max(1, (long) Math.floor(spec.rate() * (1 - MARGIN) * SCALE));
            return List.of(RateLimit.bucket(Math.max(capacity, largest), rate, spec.period()));
        }
        long burst = Math.max(largest, capacity / 10);
        if (capacity - burst >= 1) {
            return List.of(RateLimit.bucket(burst, capacity - burst, spec.period()));
        }
        long whole = Math.max(capacity, largest);
        return List.of(RateLimit.bucket(whole, whole, spec.period().multipliedBy(2)));
    }

    private static long tokens(double units) {
        return (long) Math.ceil(units * SCALE);
    }

    @Override
    Slot reserve(double units, long now) {
        // bucket4j takes the tokens now, into debt if need be, and says how long until that debt is repaid: the
        // same reservation the in-process budgets make, atomically in the shared row
        long waitNanos = bucket.consumeIgnoringRateLimits(tokens(units));
        return new Slot(units, now + Math.max(0, waitNanos));
    }

    @Override
    void settle(Slot slot, long counted) {
        // the charge stands where it was reserved: see the class comment
    }

    @Override
    long estimate(double units, long now) {
        return bucket.estimateAbilityToConsume(tokens(units)).getNanosToWaitForRefill();
    }

    @Override
    void refused(long now, long retryAfterNanos) {
        long available = bucket.getAvailableTokens();
        if (available > 0) {
            bucket.consumeIgnoringRateLimits(available);
        }
    }

    @Override
    double assumedCapacity() {
        return spec.capacity();
    }

    @Override
    double assumedPerSecond() {
        return spec.perSecond();
    }

    @Override
    public String toString() {
        return "SharedBudget[" + spec.name() + ", " + Duration.ofNanos(spec.period().toNanos()) + "]";
    }
}
