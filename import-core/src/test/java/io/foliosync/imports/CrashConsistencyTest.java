package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.store.PortfolioStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kills a child JVM in the middle of an import, then checks the database: consistent, the job marked
 * interrupted at the next start, and a re-run converging to exactly the rows of a clean run.
 */
class CrashConsistencyTest {
    private static final int TOTAL = 2_000;

    @TempDir
    Path dir;

    static List<Backend> backends() {
        return TestDatabases.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void killedImportLeavesAConsistentDatabaseAndARerunConvergesToACleanRun(Backend backend) throws Exception {
        DatabaseSettings crashed = TestDatabases.settings(backend, dir);
        DatabaseSettings clean = TestDatabases.settings(backend, dir);
        try {
            int storedBeforeKill = runChildAndKill(crashed);
            assertThat(storedBeforeKill).isBetween(1, TOTAL - 1);

            try (PortfolioStore store = PortfolioStore.open(crashed)) {
                long partial = store.countTransactions(Optional.empty());
                assertThat(partial).isLessThan(TOTAL).isGreaterThanOrEqualTo(storedBeforeKill).isEqualTo(partial / 100 * 100);
                assertThat(store.jobs(Optional.empty(), 5)).singleElement()
                        .satisfies(j -> assertThat(j.status()).isEqualTo(JobStatus.RUNNING));

                try (ImportOrchestrator rerun = orchestrator(store)) {
                    assertThat(store.jobs(Optional.empty(), 5)).singleElement()
                            .satisfies(j -> assertThat(j.status()).isEqualTo(JobStatus.INTERRUPTED));
                    JobResult result = rerun.sync("synthetic");
                    assertThat(result.status()).isEqualTo(JobStatus.SUCCEEDED);
                    assertThat(result.counts().imported()).isEqualTo(TOTAL - partial);
                }
                try (PortfolioStore reference = PortfolioStore.open(clean);
                     ImportOrchestrator once = orchestrator(reference)) {
                    once.sync("synthetic");
                    assertThat(rows(store)).hasSize(TOTAL).isEqualTo(rows(reference));
                }
            }
        } finally {
            TestDatabases.drop(crashed);
            TestDatabases.drop(clean);
        }
    }

    private static ImportOrchestrator orchestrator(PortfolioStore store) {
        return ImportOrchestrator.builder(store)
                .addConnector(new SyntheticConnector("synthetic", TOTAL, 100, Duration.ZERO)).build();
    }

    /** The identity and content of every row: what must match between the runs. */
    private static List<String> rows(PortfolioStore store) {
        return store.transactions(Optional.empty()).stream()
                .map(t -> t.sourceType() + "|" + t.sourceName() + "|" + t.recordId() + "|"
                        + t.transaction().accountId() + "|" + t.contentHash())
                .sorted().toList();
    }

    /** @return how many records the child reported stored when it was killed */
    private static int runChildAndKill(DatabaseSettings settings) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashImportMain.class.getName()));
        if (settings.isSqlite()) {
            cmd.addAll(List.of("sqlite", settings.sqliteFile().orElseThrow().toString()));
        } else {
            cmd.addAll(List.of("postgres", settings.jdbcUrl(), settings.schema().orElseThrow()));
        }
        cmd.add(Integer.toString(TOTAL));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        int stored = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("stored ")) {
                    stored = Integer.parseInt(line.substring(7).trim());
                    if (stored >= 300) {
                        child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback by the child
                        break;
                    }
                } else if (line.equals("done")) {
                    throw new AssertionError("the child finished before it could be killed");
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isNotZero();
        return stored;
    }
}
