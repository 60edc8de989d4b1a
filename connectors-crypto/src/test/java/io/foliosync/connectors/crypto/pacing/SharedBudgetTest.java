package io.foliosync.connectors.crypto.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiter;
import io.foliosync.connectors.crypto.pacing.BudgetSpec.Scope;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedBudgetTest {

    private static Bucket bucketOf(List<RateLimit> limits) {
        LocalBucketBuilder b = Bucket.builder();
        for (Bandwidth bw : RateLimiter.configuration(limits).getBandwidths()) {
            b.addLimit(bw);
        }
        return b.build();
    }

    @Test
    void binanceWeightWindowBecomesABurstRefilledSoNoMinuteSeesMoreThanTheMargin() {
        BudgetSpec weight = BudgetSpec.fixedWindow("api-weight", Scope.IP, 6000, Duration.ofMinutes(1));

        List<RateLimit> limits = SharedBudget.limits(weight, 20);

        // 6,000 less the 3% margin, in thousandths: a burst of a tenth, the rest refilled over the minute
        assertThat(limits).containsExactly(RateLimit.bucket(582_000, 5_238_000, Duration.ofMinutes(1)));
    }

    @Test
    void aWindowWhoseOneCallIsTheWholeWindowRefillsOverTwoWindows() {
        BudgetSpec publicCalls = BudgetSpec.window("public", Scope.IP, 1, Duration.ofSeconds(1));

        assertThat(SharedBudget.limits(publicCalls, 1))
                .containsExactly(RateLimit.bucket(1000, 1000, Duration.ofSeconds(2)));
    }

    @Test
    void reservingPastTheBurstWaitsForTheRefillAndRefusalSpendsTheRest() {
        BudgetSpec weight = BudgetSpec.fixedWindow("api-weight", Scope.IP, 6000, Duration.ofMinutes(1));
        SharedBudget budget = SharedBudget.on(weight, bucketOf(SharedBudget.limits(weight, 20)));

        Budget.Slot first = budget.reserve(582, 0);
        Budget.Slot next = budget.reserve(20, 0);

        assertThat(first.at).isZero();
        // 20 units at 5,238 a minute: about 229 ms
        assertThat(Duration.ofNanos(next.at)).isBetween(Duration.ofMillis(200), Duration.ofMillis(260));
        assertThat(budget.estimate(1, 0)).isPositive();
    }

    @Test
    void aRefusalLeavesNothingForTheNextCall() {
        BudgetSpec weight = BudgetSpec.fixedWindow("api-weight", Scope.IP, 6000, Duration.ofMinutes(1));
        SharedBudget budget = SharedBudget.on(weight, bucketOf(SharedBudget.limits(weight, 20)));

        budget.refused(0, 0);

        assertThat(budget.reserve(1, 0).at).isPositive();
    }
}
