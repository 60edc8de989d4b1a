package io.foliosync.imports.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.imports.FakeConnector;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.Tx;
import io.foliosync.imports.config.DataSourcesConfig;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.config.SyncFrequency;
import io.foliosync.imports.store.PortfolioStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncSchedulerTest {
    @TempDir
    Path dir;

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void runsEachSourceRepeatedlySkipsWhileStillRunningAndStopsCleanly() throws Exception {
        try (PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(dir.resolve("s.db")))) {
            FakeConnector slow = new FakeConnector("slow");
            slow.transactions = List.of(Tx.buy("slow", "A", 1).build());
            slow.blockUntil = new CountDownLatch(1);
            FakeConnector fast = new FakeConnector("fast");
            fast.transactions = List.of(Tx.buy("fast", "A", 1).build());
            FakeConnector manual = new FakeConnector("manual");
            ImportOrchestrator sync = ImportOrchestrator.builder(store)
                    .addConnector(slow).addConnector(fast).addConnector(manual).build();
            SyncScheduler scheduler = SyncScheduler.builder(sync)
                    .defaultFrequency(new SyncFrequency(Duration.ofMillis(20)))
                    .frequency("manual", SyncFrequency.MANUAL)
                    .build();
            scheduler.start();

            awaitCondition(() -> scheduler.skippedRuns("slow") >= 2 && scheduler.runs("fast") >= 3);
            assertThat(scheduler.runs("slow")).isEqualTo(1);
            assertThat(slow.queries).hasSize(1);

            slow.blockUntil.countDown();
            awaitCondition(() -> scheduler.runs("slow") >= 2);
            scheduler.close();
            long fastRuns = scheduler.runs("fast");
            Thread.sleep(100);

            assertThat(scheduler.runs("fast")).isEqualTo(fastRuns);
            assertThat(scheduler.runs("manual")).isZero();
            assertThat(store.countTransactions(java.util.Optional.empty())).isEqualTo(2);
            sync.close();
        }
    }

    @Test
    void frequenciesComeFromTheConfigurationPerSourceOrGlobal() {
        DataSourcesConfig config = DataSourcesConfig.load(Path.of("..", "config", "data_sources.yaml"),
                java.util.Map.of(), java.util.Optional.empty());
        try (PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(dir.resolve("c.db")));
             ImportOrchestrator sync = ImportOrchestrator.builder(store)
                     .addConnector("crypto_exchanges", FakeConnector.account("crypto_exchanges", "kraken", "kraken"))
                     .addConnector(new FakeConnector("other")).build()) {
            SyncScheduler scheduler = SyncScheduler.builder(sync).fromConfig(config).build();
            assertThat(scheduler.frequencies()).containsEntry("kraken", SyncFrequency.HOURLY)
                    .containsEntry("other", SyncFrequency.DAILY);
            scheduler.close();
        }
    }

    @Test
    void frequencyTextParses() {
        assertThat(SyncFrequency.parse("weekly", "k")).isEqualTo(SyncFrequency.WEEKLY);
        assertThat(SyncFrequency.parse("30m", "k").interval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(SyncFrequency.parse("PT6H", "k").interval()).isEqualTo(Duration.ofHours(6));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SyncFrequency.parse("10s", "global.sync_frequency"))
                .hasMessageContaining("global.sync_frequency");
    }
}
