package io.foliosync.examples.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Jobs page's time left: the source's estimate, corrected by the pace the console observes. */
class TimeLeftTest {
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void oneEstimateCountsDownFromWhenItCame() {
        SyncJobs.Estimate e = new SyncJobs.Estimate(Duration.ofSeconds(60), T0, Duration.ofSeconds(60), T0);
        assertThat(e.at(T0.plusSeconds(10))).isEqualTo(Duration.ofSeconds(50));
        assertThat(e.at(T0.plusSeconds(90))).as("never below a second while running").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aSourceThreeTimesSlowerThanItEstimatesIsGivenThreeTimesItsEstimate() {
        // the sync: "~28 s" said at 10 s into a sync that ended at 72 s
        SyncJobs.Estimate e = new SyncJobs.Estimate(Duration.ofSeconds(28), T0, Duration.ofSeconds(28), T0)
                .next(Duration.ofSeconds(23), T0.plusSeconds(15)); // 15 s passed, the estimate fell by 5
        assertThat(e.at(T0.plusSeconds(15))).isEqualTo(Duration.ofSeconds(69));
        assertThat(e.at(T0.plusSeconds(25))).isEqualTo(Duration.ofSeconds(59));
    }

    @Test
    void aSourceFasterThanItsEstimateIsGivenLess() {
        SyncJobs.Estimate e = new SyncJobs.Estimate(Duration.ofSeconds(60), T0, Duration.ofSeconds(60), T0)
                .next(Duration.ofSeconds(40), T0.plusSeconds(10)); // 10 s passed, the estimate fell by 20
        assertThat(e.at(T0.plusSeconds(10))).isEqualTo(Duration.ofSeconds(20));
    }
}
