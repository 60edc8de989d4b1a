package io.foliosync.examples.cli;

import static io.foliosync.examples.cli.ShadedJar.count;
import static io.foliosync.examples.cli.ShadedJar.query;
import static io.foliosync.examples.cli.ShadedJar.transactionRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Account;
import io.foliosync.examples.cli.ShadedJar.Run;
import io.foliosync.examples.cli.ShadedJar.Started;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two foliosync processes on one SQLite file, and a process killed mid-sync, run through the shaded jar: the
 * account's lock is an OS file lock, so the second process is refused at once and a killed one leaves nothing
 * that a rerun does not repair.
 */
class ConcurrentAndKilledSyncJarTest {
    private static final String SECRET = Base64.getEncoder().encodeToString("the-account-secret".getBytes());

    @TempDir
    Path dir;

    FakeKraken kraken;
    Path db;
    Path config;
    Started running;

    @BeforeEach
    void oneAccountWithAPagedHistory() throws Exception {
        // pages of 4: 3 trade pages and 2 ledger pages
        kraken = new FakeKraken("K", 10, 6, 4);
        db = dir.resolve("foliosync.db");
        config = ShadedJar.config(dir, "kraken.yaml", db, new Account("kraken", "the-api-key", SECRET, kraken));
    }

    @AfterEach
    void stop() throws Exception {
        if (running != null && running.process().isAlive()) {
            running.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        kraken.close();
    }

    @Test
    void twoProcessesSyncingTheSameAccountOnOneSqliteFile() throws Exception {
        kraken.holdTradesPageAt(4);
        running = ShadedJar.start(dir, "sync", "--config", config.toString());
        assertThat(kraken.awaitHeld(ShadedJar.PROCESS_TIMEOUT_SECONDS))
                .as("process A reached its second page:\n" + Files.readString(running.log())).isTrue();

        Run b = ShadedJar.sync(config);

        assertThat(b.exit()).as(b.output()).isEqualTo(1);
        assertThat(b.line("kraken")).contains("skipped").contains("another process")
                .contains(db.getFileName().toString());
        assertThat(running.process().isAlive()).as("B did not wait for A").isTrue();

        kraken.release();
        Run a = running.await();

        assertThat(a.exit()).as(a.output()).isZero();
        assertThat(a.imported("kraken")).as(a.output()).isEqualTo(kraken.records());
        assertThat(count(db, "SELECT COUNT(DISTINCT source_id) FROM transactions")).isEqualTo(kraken.records());
        assertThat(query(db, "SELECT status FROM import_jobs")).extracting(r -> r.get("status"))
                .containsExactly("succeeded");
    }

    @Test
    void killMinus9MidSyncConvergesToACleanRunsRows() throws Exception {
        kraken.holdTradesPageAt(8);
        running = ShadedJar.start(dir, "sync", "--config", config.toString());
        assertThat(kraken.awaitHeld(ShadedJar.PROCESS_TIMEOUT_SECONDS))
                .as("process A reached its third page:\n" + Files.readString(running.log())).isTrue();
        awaitStoredRows(8);

        running.process().destroyForcibly();
        assertThat(running.process().waitFor(ShadedJar.PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(query(db, "SELECT status FROM import_jobs")).extracting(r -> r.get("status"))
                .containsExactly("running");
        kraken.release();

        Run rerun = ShadedJar.sync(config);

        assertThat(rerun.exit()).as(rerun.output()).isZero();
        assertThat(query(db, "SELECT status FROM import_jobs ORDER BY id")).extracting(r -> r.get("status"))
                .containsExactly("interrupted", "succeeded");
        Path cleanDb = dir.resolve("clean.db");
        Run clean = ShadedJar.sync(ShadedJar.config(dir, "clean.yaml", cleanDb,
                new Account("kraken", "the-api-key", SECRET, kraken)));
        assertThat(clean.exit()).as(clean.output()).isZero();
        assertThat(transactionRows(cleanDb)).hasSize(kraken.records());
        assertThat(transactionRows(db)).containsExactlyElementsOf(transactionRows(cleanDb));
    }

    /** Polls, bounded, until the killed-to-be process has committed at least {@code rows} transactions. */
    private void awaitStoredRows(long rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ShadedJar.PROCESS_TIMEOUT_SECONDS);
        while (storedRows() < rows) {
            assertThat(System.nanoTime()).as("rows stored before the kill").isLessThan(deadline);
            Thread.sleep(100); // a poll interval, not a timing assumption
        }
    }

    private long storedRows() throws Exception {
        if (!Files.exists(db)) {
            return 0;
        }
        try {
            return count(db, "SELECT COUNT(*) FROM transactions");
        } catch (java.sql.SQLException e) {
            return 0; // not migrated yet
        }
    }
}
