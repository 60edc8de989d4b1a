package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.query.JobRecord;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.query.StoredTransaction;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImportPipelineTest {
    @TempDir
    Path dir;
    private final TestStores open = new TestStores();

    static List<Backend> backends() {
        return TestDatabases.backends();
    }

    @AfterEach
    void tearDown() throws Exception {
        open.close();
    }

    private PortfolioStore store(Backend backend) {
        return open.store(TestDatabases.settings(backend, dir));
    }

    private PortfolioStore store(DatabaseSettings settings) {
        return open.store(settings);
    }

    private ImportOrchestrator.Builder orchestrator(PortfolioStore store, FakeConnector... connectors) {
        ImportOrchestrator.Builder b = ImportOrchestrator.builder(store);
        for (FakeConnector c : connectors) {
            b.addConnector(c);
        }
        return b;
    }

    private ImportOrchestrator build(ImportOrchestrator.Builder b) {
        ImportOrchestrator o = b.build();
        open.add(o);
        return o;
    }

    private static List<Transaction> history(String source, int n) {
        List<Transaction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 3 == 2 ? Tx.dividend(source, i) : Tx.buy(source, "T" + i, i).build());
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void importingTheSameHistoryTwiceWritesNothingTheSecondTime(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector kraken = new FakeConnector("kraken");
        kraken.transactions = history("kraken", 10);
        kraken.ignoreSince = true;
        ImportOrchestrator sync = build(orchestrator(store, kraken));

        JobResult first = sync.sync("kraken");
        List<StoredTransaction> afterFirst = store.transactions(Optional.of("kraken"));
        JobResult second = sync.sync("kraken");

        assertThat(first.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(first.counts()).isEqualTo(new ImportCounts(10, 0, 0, 0));
        assertThat(second.counts()).isEqualTo(new ImportCounts(0, 0, 10, 0));
        assertThat(store.transactions(Optional.of("kraken"))).isEqualTo(afterFirst).hasSize(10);
        assertThat(store.jobs(Optional.of("kraken"), 10)).extracting(JobRecord::status)
                .containsExactly(JobStatus.SUCCEEDED, JobStatus.SUCCEEDED);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void correctedRecordFromTheSourceUpdatesInPlace(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector ibkr = new FakeConnector("ibkr");
        ibkr.ignoreSince = true;
        ibkr.transactions = history("ibkr", 4);
        ImportOrchestrator sync = build(orchestrator(store, ibkr));
        sync.sync("ibkr");

        List<Transaction> corrected = new ArrayList<>(ibkr.transactions);
        corrected.set(1, corrected.get(1).toBuilder().price(new BigDecimal("150.50")).amount(new BigDecimal("301.00"))
                .build());
        ibkr.transactions = corrected;
        JobResult again = sync.sync("ibkr");

        assertThat(again.counts()).isEqualTo(new ImportCounts(0, 1, 3, 0));
        assertThat(store.transactions(Optional.of("ibkr"))).hasSize(4)
                .filteredOn(t -> t.recordId().equals("T1")).singleElement()
                .satisfies(t -> assertThat(t.transaction().amount()).isEqualByComparingTo("301.00"));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void recordsWithoutSourceIdAreIdentifiedByContentHashAndTwinsAreKept(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector bank = new FakeConnector("bank");
        bank.ignoreSince = true;
        bank.pageSize = 10;
        Transaction twin = Tx.dividend("bank", 1);
        bank.transactions = List.of(twin, twin, Tx.dividend("bank", 2));
        ImportOrchestrator sync = build(orchestrator(store, bank));

        assertThat(sync.sync("bank").counts().imported()).isEqualTo(3);
        assertThat(sync.sync("bank").counts()).isEqualTo(new ImportCounts(0, 0, 3, 0));
        assertThat(store.transactions(Optional.of("bank"))).extracting(StoredTransaction::recordId)
                .allMatch(id -> id.startsWith("h:"))
                .anyMatch(id -> id.endsWith("#2"));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void cursorAdvancesToTheNewestStoredTransactionOnlyWhenTheJobSucceeds(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector src = new FakeConnector("schwab");
        src.transactions = history("schwab", 5);
        ImportOrchestrator sync = build(orchestrator(store, src));
        sync.sync("schwab");
        Instant newest = src.transactions.get(4).date();
        assertThat(store.cursor("schwab")).contains(newest);

        src.transactions = history("schwab", 7);
        JobResult second = sync.sync("schwab");

        assertThat(src.queries.get(1).since()).contains(newest);
        assertThat(second.counts()).isEqualTo(new ImportCounts(2, 0, 1, 0));
        assertThat(store.countTransactions(Optional.of("schwab"))).isEqualTo(7);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void malformedPageFailsOnlyItsJobNamingSourceRecordAndFieldAndWritesNothingOfThatPage(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector bad = new FakeConnector("okx");
        bad.transactions = history("okx", 9);
        bad.failOnPage = p -> p == 2 ? DataFetchException.malformed("okx", "/api/v5/trade/fills", "fill 42", "fillSz",
                "not a number: 'abc'", null) : null;
        FakeConnector good = new FakeConnector("kraken");
        good.transactions = history("kraken", 4);
        ImportOrchestrator sync = build(orchestrator(store, bad, good));

        SyncReport report = sync.syncAll();

        JobResult failed = report.result("okx").orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).get().asString().contains("okx", "fill 42", "fillSz");
        assertThat(store.countTransactions(Optional.of("okx"))).isEqualTo(3); // page 1 only
        assertThat(store.cursor("okx")).isEmpty();
        assertThat(store.jobs(Optional.of("okx"), 1)).singleElement()
                .satisfies(j -> assertThat(j.status()).isEqualTo(JobStatus.FAILED));
        assertThat(report.result("kraken").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(store.countTransactions(Optional.of("kraken"))).isEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void normalizerMapsAliasesShareClassesAndSigns(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector src = new FakeConnector("kraken");
        src.pageSize = 10;
        src.transactions = List.of(
                Tx.buy("kraken", "A", 1).symbol("xbt").quantity(new BigDecimal("0.5")).price(new BigDecimal("60000"))
                        .amount(new BigDecimal("30000")).build(),
                Tx.buy("kraken", "B", 2).symbol("BRK B").quantity(new BigDecimal("-2")).build(),
                Tx.buy("kraken", "C", 3).symbol("brk/b").build());
        build(orchestrator(store, src)).sync("kraken");

        List<Transaction> rows = store.transactions(Optional.of("kraken")).stream()
                .map(StoredTransaction::transaction).toList();
        assertThat(rows).extracting(t -> t.symbol().orElseThrow()).containsExactly("BTC", "BRK.B", "BRK.B");
        assertThat(rows.get(1).type()).isEqualTo(TransactionType.SELL);
        assertThat(rows.get(1).quantity()).isEqualByComparingTo("2");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aFailedJobRunsOnceWhateverFailedAndTheNextSyncIsItsRetry(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector flaky = new FakeConnector("coinbase");
        flaky.transactions = history("coinbase", 3);
        // What the HTTP layer could not recover, of each family: none is tried again by the job.
        List<RuntimeException> failures = List.of(
                new io.foliosync.connectors.api.NetworkException("coinbase", "GET /fills", "connection reset",
                        new java.net.SocketException("Connection reset")),
                io.foliosync.connectors.api.DataFetchException.httpStatus("coinbase", "GET /fills", 503, "busy"),
                new io.foliosync.connectors.api.RateLimitException("coinbase", "GET /fills: rate limit exceeded",
                        Optional.of(Duration.ofMinutes(10))),
                io.foliosync.connectors.api.DataFetchException.malformed("coinbase", "GET /fills", "1", "price",
                        "not a number", null));
        ImportOrchestrator sync = build(orchestrator(store, flaky));
        int[] call = {0};
        flaky.failOnPage = p -> call[0] < failures.size() ? failures.get(call[0]) : null;

        for (; call[0] < failures.size(); call[0]++) {
            JobResult failed = sync.sync("coinbase");
            assertThat(failed.status()).as(failures.get(call[0]).getClass().getSimpleName())
                    .isEqualTo(JobStatus.FAILED);
            assertThat(failed.attempts()).isEqualTo(1);
        }
        JobResult next = sync.sync("coinbase");

        assertThat(next.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(store.jobs(Optional.of("coinbase"), 10)).extracting(JobRecord::status)
                .containsExactly(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.FAILED, JobStatus.FAILED,
                        JobStatus.FAILED);
        assertThat(store.countTransactions(Optional.of("coinbase"))).isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theSyncAfterAFailedOneCountsWhatTheFailedOneStoredAsSkipped(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector flaky = new FakeConnector("coinbase");
        flaky.ignoreSince = true;
        List<Transaction> all = new ArrayList<>(history("coinbase", 9));
        all.set(1, all.get(1).toBuilder().currency("QQQ").build()); // rejected: unknown currency
        flaky.transactions = List.of(all.get(0));
        ImportOrchestrator sync = build(orchestrator(store, flaky));
        assertThat(sync.sync("coinbase").counts()).isEqualTo(new ImportCounts(1, 0, 0, 0)); // stored before the job

        flaky.transactions = all;
        boolean[] failed = {false};
        flaky.failOnPage = p -> p == 3 && !failed[0] ? failAgainOnce(failed) : null; // after pages 1 and 2 stored
        JobResult broken = sync.sync("coinbase");
        JobResult next = sync.sync("coinbase");

        assertThat(broken.status()).isEqualTo(JobStatus.FAILED);
        // the failed job stored pages 1-2 (4 new, 1 duplicate, 1 rejected) and says so
        assertThat(broken.counts()).isEqualTo(new ImportCounts(4, 0, 1, 1));
        // the next sync reads them again as duplicates, and page 3 as new: each record counted new once
        assertThat(next.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(next.counts()).isEqualTo(new ImportCounts(3, 0, 5, 1));
        assertThat(store.countTransactions(Optional.of("coinbase"))).isEqualTo(8);
        assertThat(store.quarantine(Optional.of("coinbase"))).hasSize(1);
    }

    private static RuntimeException failAgainOnce(boolean[] failed) {
        failed[0] = true;
        return new io.foliosync.connectors.api.NetworkException("coinbase", "GET /fills", "connection reset", new java.net.SocketException("Connection reset"));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void listenerReceivesJobPageAndStoreEventsWithCounts(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector src = new FakeConnector("kraken");
        src.transactions = history("kraken", 7);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ImportListener listener = new ImportListener() {
            @Override
            public void jobStarted(String sourceId, long jobId, int attempt) {
                events.add("started " + sourceId + " " + attempt);
            }

            @Override
            public void pageFetched(String sourceId, long jobId, int page, int records) {
                events.add("page " + page + " " + records);
            }

            @Override
            public void recordsStored(String sourceId, long jobId, ImportCounts page, ImportCounts total) {
                events.add("stored " + total.imported());
            }

            @Override
            public void jobFinished(JobResult result) {
                events.add("finished " + result.status() + " " + result.counts().imported());
            }
        };
        build(orchestrator(store, src).listener(listener)).sync("kraken");

        // pages are written one behind the fetching: page N + 1 is fetched while page N is being stored
        assertThat(events).containsExactly("started kraken 1", "page 1 3", "page 2 3", "stored 3", "page 3 1",
                "stored 6", "stored 7", "finished SUCCEEDED 7");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sameSourceIsNotStartedTwiceWhileSyncingAndOthersAreNotDelayed(Backend backend) throws Exception {
        PortfolioStore store = store(backend);
        FakeConnector slow = new FakeConnector("slow");
        slow.transactions = history("slow", 2);
        slow.blockUntil = new CountDownLatch(1);
        FakeConnector fast = new FakeConnector("fast");
        fast.transactions = history("fast", 2);
        ImportOrchestrator sync = build(orchestrator(store, slow, fast));

        CompletableFuture<JobResult> running = sync.syncAsync("slow");
        assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> sync.sync("slow")).isInstanceOf(SourceBusyException.class)
                .hasMessageContaining("slow").hasMessageContaining("already being synced");
        assertThat(sync.sync("fast").status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(running).isNotDone();

        slow.blockUntil.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void syncAllReportsABusySourceAsSkipped(Backend backend) throws Exception {
        PortfolioStore store = store(backend);
        FakeConnector slow = new FakeConnector("slow");
        slow.blockUntil = new CountDownLatch(1);
        ImportOrchestrator sync = build(orchestrator(store, slow));
        CompletableFuture<JobResult> running = sync.syncAsync("slow");
        assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();

        SyncReport report = sync.syncAll();

        assertThat(report.result("slow").orElseThrow().status()).isEqualTo(JobStatus.SKIPPED);
        slow.blockUntil.countDown();
        running.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void staleRunningJobIsMarkedInterruptedAtStartup(Backend backend) {
        PortfolioStore store = store(backend);
        long jobId = store.startJob("broker", "ibkr", 1, Instant.parse("2024-01-01T00:00:00Z"));

        build(orchestrator(store, new FakeConnector("ibkr")));

        assertThat(store.jobs(Optional.of("ibkr"), 5)).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(jobId);
            assertThat(j.status()).isEqualTo(JobStatus.INTERRUPTED);
            assertThat(j.completedAt()).isPresent();
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void manyPagesOfManySourcesConvergeConcurrently(Backend backend) {
        PortfolioStore store = store(backend);
        List<FakeConnector> sources = IntStream.range(0, 6).mapToObj(i -> {
            FakeConnector c = new FakeConnector("src" + i);
            c.transactions = history("src" + i, 40);
            c.pageSize = 7;
            return c;
        }).toList();
        ImportOrchestrator sync = build(orchestrator(store, sources.toArray(FakeConnector[]::new)));

        SyncReport report = sync.syncAll();

        assertThat(report.allSucceeded()).isTrue();
        assertThat(report.totals().imported()).isEqualTo(240);
        assertThat(store.countTransactions(Optional.empty())).isEqualTo(240);
    }
}
