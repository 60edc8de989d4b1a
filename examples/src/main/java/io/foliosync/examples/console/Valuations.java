package io.foliosync.examples.console;

import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.connectors.marketdata.ValuedHolding;
import io.foliosync.examples.valuation.HoldingValues;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.query.JobRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest holdings of every account, valued as {@code foliosync value} values them ({@link HoldingValues}), for
 * every page that shows a value; kept until a job ends or five minutes pass, per base currency asked for.
 */
final class Valuations {
    private static final Duration KEEP = Duration.ofMinutes(5);

    private final FolioSync folio;
    // keyed by the base currency asked for; "" for the configured one
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    Valuations(FolioSync folio) {
        this.folio = folio;
    }

    /**
     * The holdings as valued, and how each page row shows them.
     *
     * @param rows    one per holding of {@code valuation}, in its order
     * @param problem how the prices were found when not through market data, and how many are stale
     */
    record Valued(String base, List<Row> rows, String problem, Valuation valuation) {
        /** @param valued the holding as valued; {@code row} is how the page shows it */
        record Row(ValuedHolding valued, Pages.ValuedRow row) {
            public String source() {
                return valued.holding().source();
            }

            /** @return the account as every page names it ({@link Accounts#label}) */
            public String account() {
                return Accounts.label(valued.holding().source(), valued.holding().accountId());
            }
        }
    }

    /** @return the holdings in the configured base currency */
    Valued valued() {
        return valued(Optional.empty());
    }

    /**
     * @param currency the base currency, empty for the configured one
     * @return the valuation, computed again only after a job ended since the last one or after five minutes:
     *         valuing asks the market-data providers, which a page view should not do every time
     */
    Valued valued(Optional<String> currency) {
        Optional<JobRecord> latest = folio.query().jobs(Optional.empty(), 1).stream().findFirst();
        String key = latest.map(j -> j.id() + "/" + j.completedAt().orElse(null)).orElse("");
        Instant now = FolioSyncInternals.connectorContext(folio).clock().instant();
        String slot = currency.orElse("");
        synchronized (cache) {
            Cached c = cache.get(slot);
            if (c != null && c.key().equals(key) && c.at().plus(KEEP).isAfter(now)) {
                return c.valued();
            }
            Valued v = valueNow(currency);
            cache.put(slot, new Cached(key, now, v));
            return v;
        }
    }

    private record Cached(String key, Instant at, Valued valued) {
    }

    private Valued valueNow(Optional<String> currency) {
        io.foliosync.imports.query.PortfolioQuery store = folio.query();
        List<Holding> all = new ArrayList<>();
        store.holdingNamespaces().forEach(s -> all.addAll(store.latestHoldings(s)));
        HoldingValues.Result result = HoldingValues.value(folio, all, currency, FolioSyncInternals.connectorContext(folio).clock());
        Valuation v = result.valuation();
        List<Valued.Row> rows = new ArrayList<>();
        for (ValuedHolding h : v.holdings()) {
            Holding x = h.holding();
            String from = h.price().isEmpty() ? "no price"
                    : (h.priceSource().orElse("").replace("holding:", "") + ", "
                    + HoldingValues.age(h.priceAge(v.valuedAt())));
            rows.add(new Valued.Row(h, new Pages.ValuedRow(
                    Views.mask(x.accountId()), Accounts.symbol(x), Views.quantity(x.quantity()),
                    h.price().map(Views::price).orElse(""), h.priceCurrency(), Views.money(h.baseValue()),
                    h.exclusionReason().map(r -> "left out: " + r.describe()).orElse(h.stale() ? "stale" : ""),
                    Views.scrub(from), HoldingValues.terms(h.terms()))));
        }
        List<String> notes = new ArrayList<>();
        if (!result.note().isEmpty()) {
            notes.add(Views.scrub(result.note()));
        }
        if (!v.stale().isEmpty()) {
            notes.add(v.stale().size() + " prices are stale");
        }
        return new Valued(v.baseCurrency(), rows, String.join("; ", notes), v);
    }
}
