package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, case 5, through the shaded jar as a process: the database, its WAL and shared-memory files (made by
 * SQLite itself, checked while a console holds the database open), the data directory and the key are owner-only,
 * whatever the process's umask would give.
 */
class OwnerOnlyFilesJarTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aSyncCreatesTheDataDirectoryTheDatabaseAndTheKeyOwnerOnly() throws Exception {
        Path data = dir.resolve("data"); // does not exist yet: the sync makes it
        Path db = data.resolve("foliosync.db");
        Path statements = Files.createDirectories(dir.resolve("statements"));
        Files.writeString(statements.resolve("Chase1234_Activity_20240131.CSV"),
                "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n"
                        + "DEBIT,01/05/2024,GROCERY,-12.00,DEBIT_CARD,188.00,,\n");
        Path config = dir.resolve("data_sources.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  data_directory: %s
                  master_key_file: %s
                plugins:
                  directory: %s
                  classpath: false
                  enabled: [chase]
                """.formatted(db, data, data.resolve("master.key"), DemoCommand.shippedPlugins()));
        Run configure = ShadedJar.start(dir, "plugins", "configure", "chase", "--set", "statement_dir=" + statements,
                "--config", config.toString()).await();
        assertThat(configure.exit()).as(configure.output()).isZero();

        Run sync = ShadedJar.sync(config);

        assertThat(sync.exit()).as(sync.output()).isZero();
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(db)).isEqualTo("rw-------");
        assertThat(mode(data.resolve("master.key"))).isEqualTo("rw-------");
        try (var files = Files.list(data)) {
            for (Path p : files.toList()) {
                assertThat(mode(p)).as(p.toString()).doesNotContain("r--r--").endsWith("---");
            }
        }
    }

    @Test
    void aDatabaseAnEarlierVersionLeftReadableIsTightenedAndItsWalAndShmAreOwnerOnlyWhileOpen() throws Exception {
        Path data = dir.resolve("data");
        // the demo's database from an earlier run, left 0644 as earlier versions made it
        Run first = ShadedJar.start(dir, "demo", "--dir", data.toString()).await();
        assertThat(first.exit()).as(first.output()).isZero();
        Path db = data.resolve("foliosync-demo.db");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

        ShadedJar.Started serve = ShadedJar.start(dir, "demo", "--dir", data.toString(), "--serve", "--port", "0");
        try {
            Pattern open = Pattern.compile("open: http://");
            Instant until = Instant.now().plusSeconds(ShadedJar.PROCESS_TIMEOUT_SECONDS);
            while (Instant.now().isBefore(until) && !open.matcher(Files.readString(serve.log())).find()) {
                assertThat(serve.process().isAlive()).as(Files.readString(serve.log())).isTrue();
                Thread.sleep(200);
            }
            assertThat(open.matcher(Files.readString(serve.log())).find()).as(Files.readString(serve.log())).isTrue();
            // SQLite made these while the demo synced and checkpointed; they hold pages of the database
            Path wal = data.resolve("foliosync-demo.db-wal");
            Path shm = data.resolve("foliosync-demo.db-shm");
            assertThat(wal).exists();
            assertThat(shm).exists();
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(mode(wal)).isEqualTo("rw-------");
            assertThat(mode(shm)).isEqualTo("rw-------");
            assertThat(mode(data)).isEqualTo("rwx------");
        } finally {
            serve.process().destroy();
            assertThat(serve.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(mode(db)).isEqualTo("rw-------");
    }
}
