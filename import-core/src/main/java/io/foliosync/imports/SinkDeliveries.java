package io.foliosync.imports;

import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.sink.AccountChanges;
import io.foliosync.connectors.api.sink.ChangedRecord;
import io.foliosync.connectors.api.sink.Delivery;
import io.foliosync.connectors.api.sink.Sink;
import io.foliosync.connectors.api.sink.SinkAccount;
import io.foliosync.connectors.api.sink.SinkContext;
import io.foliosync.connectors.api.sink.SinkHoldings;
import io.foliosync.imports.query.HoldingSnapshot;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.store.SinkCursor;
import io.foliosync.imports.store.StoredChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each sink the accounts a succeeded job synced, after the job stored them: the records written since the
 * sink's cursor, in batches, and the holdings snapshot it has not received. The cursor moves after each batch the
 * sink accepted. A sink's failure is caught here and reported on the job's result: it never reaches the job,
 * which has ended already and whose data stays stored.
 */
final class SinkDeliveries {
    private static final Logger LOG = LoggerFactory.getLogger(SinkDeliveries.class);

    private final PortfolioStore store;
    private final List<Sink> sinks;
    private final Clock clock;

    SinkDeliveries(PortfolioStore store, List<Sink> sinks, Clock clock) {
        this.store = store;
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
    }

    List<Sink> sinks() {
        return sinks;
    }

    /** @return {@code result} with each sink's delivery of each account it synced; unchanged when it did not succeed */
    JobResult deliver(Source source, JobResult result) {
        if (sinks.isEmpty() || !result.succeeded()) {
            return result;
        }
        List<SinkOutcome> outcomes = new ArrayList<>();
        for (Sink sink : sinks) {
            for (String accountId : result.accountIds()) {
                SinkAccount account = new SinkAccount(source.id(), source.namespace(), accountId);
                boolean accepted;
                try {
                    accepted = sink.accepts(account);
                } catch (RuntimeException e) {
                    outcomes.add(failed(sink, account, Delivery.NOTHING, e));
                    continue;
                }
                if (accepted) {
                    outcomes.add(deliver(sink, account));
                }
            }
        }
        return result.withSinks(outcomes);
    }

    private SinkOutcome deliver(Sink sink, SinkAccount account) {
        String ns = account.namespace();
        String acc = account.accountId();
        Delivery total = Delivery.NOTHING;
        try {
            Optional<SinkCursor> cursor = store.sinkCursor(sink.id(), ns, acc);
            StoredChange.Position position = cursor.map(SinkCursor::position).orElse(StoredChange.Position.START);
            long snapshotId = cursor.map(SinkCursor::snapshotId).orElse(0L);
            long delivered = snapshotId;
            Optional<HoldingSnapshot> snapshot = store.latestHoldingSnapshot(ns, acc)
                    .filter(s -> s.id() > delivered);
            SinkContext context = () -> store.sinkRemoteIds(sink.id(), ns, acc, clock);
            while (true) {
                List<StoredChange> changes = store.changesAfter(ns, acc, position, AccountChanges.MAX_RECORDS + 1);
                boolean more = changes.size() > AccountChanges.MAX_RECORDS;
                List<StoredChange> batch = more ? changes.subList(0, AccountChanges.MAX_RECORDS) : changes;
                // the snapshot goes with the last batch: a sink that values the holdings then has every record first
                Optional<SinkHoldings> holdings = more ? Optional.empty() : snapshot.map(s ->
                        new SinkHoldings(s.asOf(), s.holdings(), s.positionsReported()));
                if (batch.isEmpty() && holdings.isEmpty()) {
                    if (cursor.isEmpty() || cursor.get().lastError().isPresent()) {
                        store.advanceSinkCursor(sink.id(), ns, acc, position, snapshotId, clock.instant());
                    }
                    break;
                }
                List<ChangedRecord> records = batch.stream().map(c -> new ChangedRecord(c.row().recordId(),
                        c.row().contentHash(), c.row().transaction())).toList();
                Delivery d = sink.deliver(new AccountChanges(account, records, holdings), context);
                total = total.plus(d);
                if (!batch.isEmpty()) {
                    position = batch.get(batch.size() - 1).position();
                }
                if (holdings.isPresent()) {
                    snapshotId = snapshot.get().id();
                }
                store.advanceSinkCursor(sink.id(), ns, acc, position, snapshotId, clock.instant());
                if (!more) {
                    break;
                }
            }
            if (!total.refused().isEmpty()) {
                LOG.warn("sink {} refused {} record(s) of {}, the first: {}", sink.id(), total.refused().size(),
                        account.label(), total.refused().get(0).recordId() + ": " + total.refused().get(0).reason());
            }
            return new SinkOutcome(sink.id(), ns, acc, total, Optional.empty());
        } catch (RuntimeException e) {
            return failed(sink, account, total, e);
        }
    }

    private SinkOutcome failed(Sink sink, SinkAccount account, Delivery sofar, RuntimeException e) {
        String error = describe(sink, e);
        LOG.warn("sink {} could not deliver {}: {}", sink.id(), account.label(), error);
        try {
            store.sinkFailed(sink.id(), account.namespace(), account.accountId(), error, clock.instant());
        } catch (RuntimeException stored) {
            LOG.warn("cannot record the failed delivery of {} to sink {}: {}", account.label(), sink.id(),
                    stored.toString());
        }
        return new SinkOutcome(sink.id(), account.namespace(), account.accountId(), sofar, Optional.of(error));
    }

    private static String describe(Sink sink, RuntimeException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectorException ce && ce.source().isPresent()) {
            return msg;
        }
        return sink.id() + ": " + msg;
    }

    void close() {
        for (Sink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing sink {} failed: {}", s.id(), e.toString());
            }
        }
    }
}
