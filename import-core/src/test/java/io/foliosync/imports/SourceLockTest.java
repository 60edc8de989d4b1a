package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.imports.TestDatabases.Backend;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceLockTest {
    @TempDir
    Path dir;

    @Test
    void postgresAdvisoryLockRefusesTheSameSourceToAnotherProcess() {
        DatabaseSettings settings = TestDatabases.settings(Backend.POSTGRES, dir);
        // two stores on one database stand for two processes: they share no in-process state
        try (PortfolioStore first = PortfolioStore.open(settings);
             PortfolioStore second = PortfolioStore.open(settings)) {
            Optional<PortfolioStore.SourceLock> held = first.tryLockSource("kraken");
            assertThat(held).isPresent();
            assertThat(second.tryLockSource("kraken")).isEmpty();
            assertThat(second.tryLockSource("schwab")).isPresent().get().satisfies(PortfolioStore.SourceLock::close);

            long jobId = first.startJob("crypto_exchange", "kraken", 1, java.time.Instant.now());
            assertThat(second.interruptStaleJobs(java.time.Instant.now())).isZero(); // still running elsewhere

            held.get().close();
            assertThat(second.tryLockSource("kraken")).isPresent().get().satisfies(PortfolioStore.SourceLock::close);
            assertThat(second.interruptStaleJobs(java.time.Instant.now())).isEqualTo(1);
            assertThat(first.jobs(Optional.empty(), 1).get(0).id()).isEqualTo(jobId);
        } finally {
            TestDatabases.drop(settings);
        }
    }

    @Test
    void sqliteRefusesTheSameSourceWithinTheProcess() {
        try (PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(dir.resolve("l.db")))) {
            Optional<PortfolioStore.SourceLock> held = store.tryLockSource("kraken");
            assertThat(store.tryLockSource("kraken")).isEmpty();
            held.orElseThrow().close();
            assertThat(store.tryLockSource("kraken")).isPresent();
        }
    }
}
