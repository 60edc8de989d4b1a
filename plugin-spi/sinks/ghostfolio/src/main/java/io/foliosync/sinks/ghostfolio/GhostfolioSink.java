package io.foliosync.sinks.ghostfolio;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.sink.AccountChanges;
import io.foliosync.connectors.api.sink.ChangedRecord;
import io.foliosync.connectors.api.sink.Delivery;
import io.foliosync.connectors.api.sink.RefusedRecord;
import io.foliosync.connectors.api.sink.Sink;
import io.foliosync.connectors.api.sink.SinkAccount;
import io.foliosync.connectors.api.sink.SinkContext;
import io.foliosync.connectors.api.sink.SinkException;
import io.foliosync.connectors.api.sink.SinkHoldings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers an account's records to its Ghostfolio account: new ones through one import request (a request
 * Ghostfolio refuses for some activities is resent without them, each refusal reported against its record),
 * corrected ones through the activity update endpoint. What was sent is kept in the {@link SinkContext#remoteIds()
 * record → activity map}, so a re-run sends nothing twice whatever Ghostfolio's own duplicate rule would decide.
 */
final class GhostfolioSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(GhostfolioSink.class);

    private final GhostfolioSettings settings;
    private final GhostfolioClient client;
    private final ActivityMapper mapper;
    /** the user's Ghostfolio accounts, read once per process */
    private List<GhostfolioClient.GfAccount> accounts;
    private final Map<String, GhostfolioClient.GfAccount> resolved = new HashMap<>();

    GhostfolioSink(GhostfolioSettings settings, GhostfolioClient client) {
        this.settings = settings;
        this.client = client;
        this.mapper = new ActivityMapper(settings);
    }

    @Override
    public String id() {
        return settings.id();
    }

    @Override
    public boolean accepts(SinkAccount account) {
        return settings.createAccounts() || settings.mappedAccount(account).isPresent();
    }

    @Override
    public synchronized Delivery deliver(AccountChanges changes, SinkContext context) {
        SinkAccount account = changes.account();
        GhostfolioClient.GfAccount target = target(account, changes);
        SinkContext.RemoteIds ids = context.remoteIds();
        List<RefusedRecord> refused = new ArrayList<>();
        int updated = 0;
        int unchanged = 0;
        int skipped = 0;
        Map<String, ChangedRecord> fresh = new LinkedHashMap<>();
        List<Activity> toImport = new ArrayList<>();
        for (ChangedRecord r : changes.records()) {
            ActivityMapper.Mapped mapped = mapper.map(account, r);
            if (mapped instanceof ActivityMapper.Skip skip) {
                LOG.debug("{}: {} record {} not sent: {}", id(), account.label(), r.recordId(), skip.why());
                skipped++;
            } else if (mapped instanceof ActivityMapper.Refuse refuse) {
                refused.add(new RefusedRecord(r.recordId(), refuse.why()));
            } else if (mapped instanceof ActivityMapper.Send send) {
                Optional<SinkContext.RemoteId> sent = ids.get(r.recordId());
                if (sent.isPresent() && sent.get().contentHash().equals(r.contentHash())) {
                    unchanged++;
                } else if (sent.isPresent()) {
                    try {
                        if (client.updateActivity(sent.get().id(), target.id(), send.activity())) {
                            ids.put(r.recordId(), new SinkContext.RemoteId(sent.get().id(), r.contentHash()));
                            updated++;
                        } else {
                            // deleted in Ghostfolio since: the record goes in again
                            ids.remove(r.recordId());
                            fresh.put(r.recordId(), r);
                            toImport.add(send.activity());
                        }
                    } catch (GhostfolioValidationException e) {
                        refused.add(new RefusedRecord(r.recordId(), String.join("; ", e.messages())));
                    }
                } else {
                    fresh.put(r.recordId(), r);
                    toImport.add(send.activity());
                }
            }
        }
        int created = importAll(account, target, toImport, fresh, ids, refused);
        changes.holdings().ifPresent(h -> setBalance(account, target, h));
        return new Delivery(created, updated, unchanged, skipped, refused);
    }

    /**
     * Imports {@code activities}; an activity Ghostfolio refuses is reported against its record and the rest sent
     * again, since Ghostfolio stores nothing of a request it refuses.
     *
     * @return how many Ghostfolio now has that it did not
     */
    private int importAll(SinkAccount account, GhostfolioClient.GfAccount target, List<Activity> activities,
                          Map<String, ChangedRecord> records, SinkContext.RemoteIds ids, List<RefusedRecord> refused) {
        List<Activity> pending = new ArrayList<>(activities);
        while (!pending.isEmpty()) {
            List<GhostfolioClient.Imported> answer;
            try {
                answer = client.importActivities(target.id(), pending);
            } catch (GhostfolioValidationException e) {
                TreeMap<Integer, List<String>> byIndex = new TreeMap<>();
                for (String m : e.messages()) {
                    OptionalInt i = GhostfolioValidationException.index(m);
                    if (i.isPresent() && i.getAsInt() < pending.size()) {
                        byIndex.computeIfAbsent(i.getAsInt(), k -> new ArrayList<>()).add(m);
                    }
                }
                if (byIndex.isEmpty()) {
                    throw e; // a refusal of the request itself (its account, its size): nothing to leave out
                }
                for (Map.Entry<Integer, List<String>> bad : byIndex.descendingMap().entrySet()) {
                    Activity a = pending.remove(bad.getKey().intValue());
                    refused.add(new RefusedRecord(a.recordId(), String.join("; ", bad.getValue())));
                }
                continue;
            }
            return remember(account, pending, answer, records, ids);
        }
        return 0;
    }

    /** Keeps the id Ghostfolio gave each activity, found by the marker its comment starts with. */
    private int remember(SinkAccount account, List<Activity> sent, List<GhostfolioClient.Imported> answer,
                         Map<String, ChangedRecord> records, SinkContext.RemoteIds ids) {
        Map<String, String> idByComment = new HashMap<>();
        int created = 0;
        for (GhostfolioClient.Imported i : answer) {
            if (i.id().isPresent() && i.comment().isPresent() && !i.duplicate()) {
                idByComment.put(i.comment().get(), i.id().get());
            }
        }
        Map<String, String> existing = null;
        for (Activity a : sent) {
            String id = idByComment.get(a.comment());
            if (id != null) {
                created++;
            } else {
                // Ghostfolio skipped it as a duplicate of one it has: sent by an earlier run whose answer was lost
                if (existing == null) {
                    existing = client.activityIdsByComment();
                }
                id = existing.get(a.comment());
                if (id == null) {
                    throw new SinkException(id(), "Ghostfolio neither imported nor holds the activity of record "
                            + a.recordId() + " of " + account.label());
                }
            }
            ids.put(a.recordId(), new SinkContext.RemoteId(id, records.get(a.recordId()).contentHash()));
        }
        return created;
    }

    private GhostfolioClient.GfAccount target(SinkAccount account, AccountChanges changes) {
        GhostfolioClient.GfAccount known = resolved.get(account.label());
        if (known != null) {
            return known;
        }
        if (accounts == null) {
            accounts = new ArrayList<>(client.accounts());
        }
        Optional<String> mapped = settings.mappedAccount(account);
        GhostfolioClient.GfAccount target;
        if (mapped.isPresent()) {
            target = accounts.stream().filter(a -> a.id().equals(mapped.get())).findFirst().orElseThrow(() ->
                    new SinkException(id(), "sinks." + id() + ".accounts maps " + account.label() + " to "
                            + mapped.get() + ", which is no account of this Ghostfolio user"));
        } else {
            String name = "FolioSync " + account.label();
            Optional<GhostfolioClient.GfAccount> byName = accounts.stream().filter(a -> a.name().equals(name))
                    .findFirst();
            if (byName.isPresent()) {
                target = byName.get();
            } else {
                target = client.createAccount(name, currency(changes));
                accounts.add(target);
                LOG.info("{}: created the Ghostfolio account '{}' for {}", id(), name, account.label());
            }
        }
        resolved.put(account.label(), target);
        return target;
    }

    /** The new account's currency: its cash's, else its first record's, when ISO 4217; else USD. */
    private static String currency(AccountChanges changes) {
        Optional<String> cash = changes.holdings().stream().flatMap(h -> h.holdings().stream())
                .filter(h -> h.assetClass() == AssetClass.CASH).map(Holding::currency).findFirst();
        return cash.or(() -> changes.records().stream().map(r -> r.transaction().currency()).findFirst())
                .filter(CurrencyCodes::isIso4217).orElse("USD");
    }

    /**
     * Ghostfolio keeps cash as the account's balance, not as activities: set it from the snapshot's cash in the
     * account's currency, when the snapshot reports some.
     */
    private void setBalance(SinkAccount account, GhostfolioClient.GfAccount target, SinkHoldings h) {
        List<Holding> cash = h.holdings().stream().filter(x -> x.assetClass() == AssetClass.CASH
                && x.currency().equalsIgnoreCase(target.currency())).toList();
        if (cash.isEmpty()) {
            return;
        }
        BigDecimal balance = cash.stream().map(Holding::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        client.updateBalance(target, balance);
        LOG.debug("{}: balance of {} set to {} {}", id(), account.label(), balance.toPlainString(), target.currency());
    }
}
