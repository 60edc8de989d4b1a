package io.foliosync.connectors.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterRegistryTest {
    private static final List<RateLimit> FIVE_A_MINUTE = List.of(RateLimit.perMinute(5));

    @Test
    void withoutSharedStoreSharedLimitsAreHeldInProcessOnePerProviderKeyAndLimits() {
        RateLimiterRegistry registry = RateLimiterRegistry.isolated();

        RateLimiter a = registry.sharedLimiterFor("tiingo", "key-1", Duration.ofSeconds(1), FIVE_A_MINUTE);

        assertThat(registry.isDistributed()).isFalse();
        assertThat(registry.sharedBucket("tiingo", "key-1", FIVE_A_MINUTE)).isEmpty();
        assertThat(registry.sharedLimiterFor("tiingo", "key-1", Duration.ofSeconds(1), FIVE_A_MINUTE)).isSameAs(a);
        assertThat(registry.sharedLimiterFor("tiingo", "key-2", Duration.ofSeconds(1), FIVE_A_MINUTE)).isNotSameAs(a);
        // a changed limit is a bucket of its own, not the old one under a new configuration
        assertThat(registry.sharedLimiterFor("tiingo", "key-1", Duration.ofSeconds(1),
                List.of(RateLimit.perMinute(6)))).isNotSameAs(a);
    }

    @Test
    void sharedAndPerKeyLimitsOfOneKeyAreDifferentLimiters() {
        RateLimiterRegistry registry = RateLimiterRegistry.isolated();

        RateLimiter shared = registry.sharedLimiterFor("p", "k", Duration.ofSeconds(1), FIVE_A_MINUTE);
        RateLimiter perKey = registry.limiterFor("p", "k",
                () -> RateLimiter.of("p", Duration.ofSeconds(1), RateLimit.perMinute(5)));

        assertThat(perKey).isNotSameAs(shared);
    }

    @Test
    void aSharedLimiterHoldsItsWindow() {
        RateLimiter limiter = RateLimiterRegistry.isolated().sharedLimiterFor("p", "k", Duration.ZERO,
                List.of(RateLimit.perMinute(10)));

        // a window of 10 a minute starts with a burst of 1
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }
}
