package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncPeriodsTest {
    private static final Duration TEN = Duration.ofSeconds(10);

    @Test
    void periodsStartAtMultiplesOfThePeriodSinceTheEpoch() {
        assertThat(SyncPeriods.startOf(Instant.parse("2026-01-01T00:00:27.500Z"), TEN))
                .isEqualTo(Instant.parse("2026-01-01T00:00:20Z"));
        assertThat(SyncPeriods.nextStart(Instant.parse("2026-01-01T00:00:20Z"), TEN))
                .isEqualTo(Instant.parse("2026-01-01T00:00:30Z"));
    }

    @Test
    void theNextSyncIsTheNextPeriodOfTheScheduledOneWhenOnTime() {
        assertThat(SyncPeriods.after(Instant.parse("2026-01-01T00:00:20Z"), TEN,
                Instant.parse("2026-01-01T00:00:24Z"))).isEqualTo(Instant.parse("2026-01-01T00:00:30Z"));
        // a sync revived late in its own period still leaves the next period its own sync
        assertThat(SyncPeriods.after(Instant.parse("2026-01-01T00:00:26Z"), TEN,
                Instant.parse("2026-01-01T00:00:29Z"))).isEqualTo(Instant.parse("2026-01-01T00:00:30Z"));
    }

    @Test
    void missedPeriodsAreNotReplayedOneByOne() {
        assertThat(SyncPeriods.after(Instant.parse("2026-01-01T00:00:20Z"), TEN,
                Instant.parse("2026-01-01T00:01:05Z"))).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
    }
}
