package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.sink.AccountChanges;
import io.foliosync.connectors.api.sink.ChangedRecord;
import io.foliosync.connectors.api.sink.Delivery;
import io.foliosync.connectors.api.sink.RefusedRecord;
import io.foliosync.connectors.api.sink.Sink;
import io.foliosync.connectors.api.sink.SinkContext;
import io.foliosync.connectors.api.sink.SinkException;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.store.SinkCursor;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 28, the sink SPI: after each succeeded sync a sink receives the account's new and changed records once,
 * catches up after being down, and never fails the import.
 */
class SinkDeliveriesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** A sink that keeps what it received; it fails while {@code down}, and refuses the record ids in {@code refuse}. */
    static final class RecordingSink implements Sink {
        final List<AccountChanges> batches = new ArrayList<>();
        final List<ChangedRecord> received = new ArrayList<>();
        volatile boolean down;
        volatile int failAtBatch = -1;
        volatile Set<String> refuse = Set.of();
        volatile boolean closed;

        @Override
        public String id() {
            return "recorder";
        }

        @Override
        public Delivery deliver(AccountChanges changes, SinkContext context) {
            if (down || batches.size() == failAtBatch) {
                throw new SinkException(id(), "the destination is unreachable (connection refused)");
            }
            batches.add(changes);
            List<RefusedRecord> refused = new ArrayList<>();
            int created = 0;
            for (ChangedRecord r : changes.records()) {
                if (refuse.contains(r.recordId())) {
                    refused.add(new RefusedRecord(r.recordId(), "quantity must not be less than 0"));
                } else {
                    received.add(r);
                    context.remoteIds().put(r.recordId(), new SinkContext.RemoteId("remote-" + r.recordId(),
                            r.contentHash()));
                    created++;
                }
            }
            return new Delivery(created, 0, 0, 0, refused);
        }

        @Override
        public void close() {
            closed = true;
        }

        List<String> receivedIds() {
            return received.stream().map(ChangedRecord::recordId).toList();
        }
    }

    private static JobResult sync(PortfolioStore store, FakeConnector src, Sink sink) {
        try (ImportOrchestrator sync = ImportOrchestrator.builder(store).clock(CLOCK)
                .addConnector(src).addSink(sink).build()) {
            return sync.sync(src.sourceId());
        }
    }

    private static FakeConnector source(List<Transaction> history) {
        FakeConnector src = new FakeConnector("src");
        src.pageSize = 100;
        src.ignoreSince = true;
        src.transactions = history;
        src.holdings = List.of(Holding.builder().symbol("AAPL").quantity(new BigDecimal("4")).currency("USD")
                .accountId("ACC-1").source("src").build());
        return src;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void eachRecordIsReceivedOnceAndACorrectedRecordAgainAndASinkThatWasDownCatchesUp(Backend backend) {
        try (PortfolioStore store = PortfolioStore.open(TestDatabases.settings(backend, dir))) {
            RecordingSink sink = new RecordingSink();
            List<Transaction> history = List.of(Tx.buy("src", "T1", 1).build(), Tx.buy("src", "T2", 2).build(),
                    Tx.buy("src", "T3", 3).build());

            JobResult first = sync(store, source(history), sink);
            assertThat(first.succeeded()).isTrue();
            assertThat(sink.receivedIds()).containsExactly("T1", "T2", "T3");
            assertThat(sink.batches).singleElement().satisfies(b -> {
                assertThat(b.account().label()).isEqualTo("src/ACC-1");
                assertThat(b.holdings()).hasValueSatisfying(h -> assertThat(h.holdings()).extracting(Holding::symbol)
                        .containsExactly("AAPL"));
            });
            assertThat(first.sinks()).singleElement().satisfies(o -> {
                assertThat(o.failed()).isFalse();
                assertThat(o.delivery().created()).isEqualTo(3);
                assertThat(o.status()).isEqualTo("delivered");
            });
            assertThat(sink.closed).isTrue();

            // nothing changed: nothing is handed again, not even the holdings
            JobResult again = sync(store, source(history), sink);
            assertThat(sink.batches).hasSize(1);
            assertThat(again.sinks()).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("up to date"));

            // the sink is down for one run: the import still succeeds and stores the new record
            sink.down = true;
            List<Transaction> more = List.of(history.get(0), history.get(1).toBuilder().fees(new BigDecimal("2.00"))
                    .amount(new BigDecimal("299.50")).build(), history.get(2), Tx.buy("src", "T4", 4).build());
            JobResult down = sync(store, source(more), sink);
            assertThat(down.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(down.counts().imported()).isEqualTo(1);
            assertThat(down.counts().updated()).isEqualTo(1);
            assertThat(store.transactions(Optional.of("src"))).hasSize(4);
            assertThat(down.sinks()).singleElement().satisfies(o -> {
                assertThat(o.failed()).isTrue();
                assertThat(o.error()).hasValueSatisfying(e -> assertThat(e).contains("recorder", "unreachable"));
            });
            assertThat(new SyncReport(List.of(down)).failedSinks()).hasSize(1);
            assertThat(store.sinkCursor("recorder", "src", "ACC-1")).hasValueSatisfying(c ->
                    assertThat(c.lastError()).hasValueSatisfying(e -> assertThat(e).contains("unreachable")));

            // back up: the corrected T2 and the new T4, once each, and nothing else
            sink.down = false;
            JobResult back = sync(store, source(more), sink);
            assertThat(back.sinks()).singleElement().satisfies(o -> assertThat(o.failed()).isFalse());
            assertThat(sink.receivedIds()).containsExactly("T1", "T2", "T3", "T2", "T4");
            assertThat(sink.received.get(3).transaction().fees()).isEqualByComparingTo("2.00");
            assertThat(sink.received.get(3).contentHash()).isNotEqualTo(sink.received.get(1).contentHash());
            assertThat(store.sinkCursor("recorder", "src", "ACC-1")).hasValueSatisfying(c -> {
                assertThat(c.lastError()).isEmpty();
                assertThat(c.deliveredAt()).contains(CLOCK.instant());
            });
            assertThat(store.sinkRemoteIds("recorder", "src", "ACC-1", CLOCK).all()).containsOnlyKeys("T1", "T2",
                    "T3", "T4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aRefusedRecordIsReportedWithItsIdAndNotHandedAgainUntilItChanges(Backend backend) {
        try (PortfolioStore store = PortfolioStore.open(TestDatabases.settings(backend, dir))) {
            RecordingSink sink = new RecordingSink();
            sink.refuse = Set.of("T2");
            List<Transaction> history = List.of(Tx.buy("src", "T1", 1).build(), Tx.buy("src", "T2", 2).build());

            JobResult first = sync(store, source(history), sink);
            assertThat(first.succeeded()).isTrue();
            assertThat(first.failedSinks()).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo("refused 1");
                assertThat(o.delivery().refused()).singleElement().satisfies(r -> {
                    assertThat(r.recordId()).isEqualTo("T2");
                    assertThat(r.reason()).contains("quantity");
                });
            });

            JobResult same = sync(store, source(history), sink);
            assertThat(same.failedSinks()).isEmpty();
            assertThat(sink.batches).hasSize(1);

            // the sink fixed (its configuration, say) and reset: everything is handed again, T2 accepted
            sink.refuse = Set.of();
            assertThat(store.resetSink("recorder")).isEqualTo(1);
            sync(store, source(history), sink);
            assertThat(sink.receivedIds()).containsExactly("T1", "T1", "T2");
            sink.received.clear();

            List<Transaction> corrected = List.of(history.get(0), history.get(1).toBuilder()
                    .description("corrected").build());
            sync(store, source(corrected), sink);
            assertThat(sink.receivedIds()).containsExactly("T2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aLongBacklogGoesInBatchesAndAFailureResendsOnlyTheBatchThatFailed(Backend backend) {
        try (PortfolioStore store = PortfolioStore.open(TestDatabases.settings(backend, dir))) {
            RecordingSink sink = new RecordingSink();
            int n = AccountChanges.MAX_RECORDS * 2 + 7;
            List<Transaction> history = IntStream.range(0, n)
                    .mapToObj(i -> Tx.buy("src", "T" + i, i).build()).toList();
            sink.failAtBatch = 1;

            JobResult first = sync(store, source(history), sink);
            assertThat(first.succeeded()).isTrue();
            assertThat(first.sinks()).singleElement().satisfies(o -> {
                assertThat(o.error()).isPresent();
                assertThat(o.delivery().created()).isEqualTo(AccountChanges.MAX_RECORDS);
            });
            assertThat(sink.batches).hasSize(1);
            assertThat(sink.batches.get(0).holdings()).isEmpty();

            sink.failAtBatch = -1;
            sync(store, source(history), sink);
            assertThat(sink.batches).hasSize(3);
            assertThat(sink.batches.get(2).holdings()).isPresent();
            assertThat(sink.receivedIds()).hasSize(n).doesNotHaveDuplicates();
            SinkCursor cursor = store.sinkCursor("recorder", "src", "ACC-1").orElseThrow();
            assertThat(cursor.snapshotId()).isPositive();
        }
    }
}
