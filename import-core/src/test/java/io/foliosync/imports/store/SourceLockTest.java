package io.foliosync.imports.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.config.DatabaseSettings;
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

    @Test
    void sqliteRefusesTheSameSourceToAnotherProcessAndAKilledHolderReleasesIt() throws Exception {
        Path db = dir.resolve("shared.db");
        try (PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(db))) {
            Process holder = startHolder(db, "kraken");
            try {
                assertThat(firstLine(holder)).isEqualTo("LOCKED");
                assertThat(store.tryLockSource("kraken")).as("held by the other process").isEmpty();
                Optional<PortfolioStore.SourceLock> other = store.tryLockSource("kraken_2");
                assertThat(other).as("another account is free").isPresent();
                other.get().close();

                holder.destroyForcibly(); // kill -9: the OS releases the file lock
                assertThat(holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                Optional<PortfolioStore.SourceLock> mine = store.tryLockSource("kraken");
                assertThat(mine).isPresent();

                Process second = startHolder(db, "kraken");
                try {
                    assertThat(firstLine(second)).as("now this process holds it").isEqualTo("BUSY");
                } finally {
                    second.destroyForcibly();
                }
                mine.get().close();
            } finally {
                holder.destroyForcibly();
            }
        }
    }

    private static Process startHolder(Path db, String source) throws java.io.IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), HoldSourceLockMain.class.getName(), db.toString(), source)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String firstLine(Process p) throws java.io.IOException {
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        String line = reader.readLine();
        return line == null ? "(exited " + (p.isAlive() ? "?" : p.exitValue()) + ")" : line.strip();
    }
}
