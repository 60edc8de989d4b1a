package io.foliosync.examples.cli;

import static io.foliosync.examples.cli.ShadedJar.transactionRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Account;
import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23's fault-injection run, through the shipped jar as a process: one sync of several sources while one
 * stand-in trickles, one closes its connection after every answer, one answers 503 and one plugin exits. Every other
 * source imports all of its records, the command ends within its deadlines with a non-zero exit naming each
 * failure, and a re-run once the faults are gone converges to exactly the rows of a clean run.
 */
class FaultInjectionJarTest {
    private static final String SECRET = Base64.getEncoder().encodeToString("fault-secret".getBytes());
    private static final Duration SYNC_DEADLINE = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    FakeKraken healthy;
    FakeKraken closing;
    FakeKraken trickling;
    FakeKraken failing;

    @BeforeEach
    void servers() {
        healthy = new FakeKraken("KH", 4, 2, 3);
        closing = new FakeKraken("KC", 5, 2, 2);
        trickling = new FakeKraken("KT", 3, 1, 3);
        failing = new FakeKraken("KF", 2, 2, 3);
    }

    @AfterEach
    void stop() {
        List.of(healthy, closing, trickling, failing).forEach(FakeKraken::close);
    }

    private Path config(String name, Path db, boolean withExitingPlugin) throws Exception {
        Path config = ShadedJar.config(dir, name, db, new Account("kraken", "key-h", SECRET, healthy),
                new Account("kraken_close", "key-c", SECRET, closing),
                new Account("kraken_trickle", "key-t", SECRET, trickling),
                new Account("kraken_down", "key-f", SECRET, failing));
        String yaml = Files.readString(config).replace("global:\n",
                "global:\n  sync_deadline: " + SYNC_DEADLINE.toSeconds() + "s\n");
        if (withExitingPlugin) {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            HostilePluginJarTest.pluginJar(dir, plugins.resolve("exits.jar"), "exits", "",
                    "if (true) System.exit(17);");
            yaml += """
                    plugins:
                      directory: %s
                      classpath: false
                      enabled: [exits]
                    """.formatted(plugins);
        }
        Files.writeString(config, yaml);
        return config;
    }

    @Test
    void everyOtherSourceImportsTheCommandEndsInItsDeadlinesAndARerunConvergesToACleanRun() throws Exception {
        Path cleanDb = dir.resolve("clean.db");
        Run clean = ShadedJar.sync(config("clean.yaml", cleanDb, false));
        assertThat(clean.exit()).as(clean.output()).isZero();
        List<String> cleanRows = transactionRows(cleanDb);
        assertThat(cleanRows).hasSize(healthy.records() + closing.records() + trickling.records()
                + failing.records());

        closing.mode(FakeKraken.Mode.CLOSE_CONNECTIONS);
        trickling.mode(FakeKraken.Mode.TRICKLE);
        failing.mode(FakeKraken.Mode.UNAVAILABLE);
        Path db = dir.resolve("faults.db");
        Path config = config("faults.yaml", db, true);

        long t0 = System.nanoTime();
        Run faults = ShadedJar.sync(config);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(faults.exit()).as(faults.output()).isEqualTo(1);
        assertThat(took).as("within the sync deadline, plus a JVM's start").isLessThan(SYNC_DEADLINE.plusSeconds(45));
        assertThat(faults.line("kraken")).contains("succeeded");
        assertThat(faults.imported("kraken")).isEqualTo(healthy.records());
        assertThat(faults.line("kraken_close")).as(faults.output()).contains("succeeded");
        assertThat(faults.imported("kraken_close")).isEqualTo(closing.records());
        assertThat(faults.line("kraken_trickle")).contains("failed");
        assertThat(faults.line("kraken_down")).contains("failed");
        assertThat(faults.line("exits")).contains("failed");
        assertThat(faults.output()).contains("global.sync_deadline").contains("503")
                .contains("plugin exits called System.exit(17)");

        trickling.mode(FakeKraken.Mode.SERVING);
        failing.mode(FakeKraken.Mode.SERVING);
        closing.mode(FakeKraken.Mode.SERVING);
        Run rerun = ShadedJar.sync(config);

        assertThat(rerun.line("kraken_trickle")).as(rerun.output()).contains("succeeded");
        assertThat(rerun.line("kraken_down")).contains("succeeded");
        assertThat(rerun.exit()).as("the plugin still exits, and is still refused").isEqualTo(1);
        assertThat(transactionRows(db)).as("exactly the rows of a clean run").isEqualTo(cleanRows);
    }
}
