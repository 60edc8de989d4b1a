package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.cache.ResponseCache;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Tiingo: end-of-day prices ({@code /tiingo/daily/{ticker}/prices}, raw and adjusted, {@code divCash},
 * {@code splitFactor}) and latest prices from the IEX endpoint, which serves many tickers per request
 * ({@code /iex/?tickers=a,b,c}). The key travels in the {@code Authorization: Token} header, never in the URL.
 *
 * <p>Following Tiingo's advice, a ticker's history is fetched once, then only the days after the last stored
 * bar; when such a delta holds a dividend or a split, the adjusted history has changed and the whole range
 * is fetched again.
 *
 * <p>Stored histories live in memory only, for the life of this provider (nothing is written to disk): at most
 * {@code history_max_symbols} symbols, the least recently asked dropped first and fetched in full again when
 * next asked. A stored history is reused without a request for {@code cache_duration}, then topped up.
 */
final class TiingoProvider extends HttpProvider {
    static final String ID = "tiingo";

    private record Stored(LocalDate start, List<DailyBar> bars, Instant fetchedAt) {
        LocalDate last() {
            return bars.isEmpty() ? start.minusDays(1) : bars.get(bars.size() - 1).date();
        }
    }

    /** Locks striped by symbol: a symbol's history is fetched by one thread at a time, without a lock per symbol. */
    private static final int LOCK_STRIPES = 64;

    private final LruStore<String, Stored> histories;
    private final Object[] locks = new Object[LOCK_STRIPES];

    TiingoProvider(ProviderSettings settings, OkHttpClient base, ResponseCache<Object> cache) {
        super(settings, base, cache);
        this.histories = new LruStore<>(settings.historyMaxSymbols());
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** @return how many symbols' histories are held in memory now; at most {@code history_max_symbols} */
    int storedHistories() {
        return histories.size();
    }

    /** The automatic rules of {@link SymbolRules#tiingo}. */
    @Override
    public Optional<String> providerSymbol(Instrument instrument) {
        return SymbolRules.tiingo(instrument);
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.LATEST_QUOTES, Feature.BATCH_QUOTES, Feature.DAILY_BARS, Feature.DIVIDENDS,
                Feature.SPLITS);
    }

    private Request request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url).get();
        settings.apiKey().ifPresent(k -> b.header("Authorization", "Token " + k.reveal()));
        return b.build();
    }

    @Override
    public QuoteBatch latestQuotes(Collection<String> symbols) {
        return batchThroughCache(symbols, settings.batchSize(), this::iex);
    }

    private Map<String, Quote> iex(List<String> chunk) {
        HttpUrl url = settings.baseUrl().newBuilder().addPathSegment("iex").addPathSegment("")
                .addQueryParameter("tickers", String.join(",", chunk).toLowerCase(Locale.ROOT)).build();
        Tree batch = new Tree(ID, "GET /iex/", String.join(",", chunk));
        Map<String, String> asked = new HashMap<>();
        chunk.forEach(s -> asked.put(s.toUpperCase(Locale.ROOT), s));
        Map<String, Quote> out = new HashMap<>();
        Optional<Object> tree = getTree(request(url));
        if (tree.isEmpty()) {
            return out;
        }
        List<Object> rows = batch.list(tree.get(), "(body)");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = batch.object(rows.get(i), "[" + i + "]");
            String ticker = batch.text(row, "ticker");
            String symbol = asked.get(ticker.toUpperCase(Locale.ROOT));
            if (symbol == null) {
                continue;
            }
            Tree t = new Tree(ID, "GET /iex/", symbol);
            Optional<BigDecimal> price = t.optDecimal(row, "tngoLast").or(() -> t.optDecimal(row, "last"))
                    .or(() -> t.optDecimal(row, "prevClose"));
            if (price.isEmpty()) {
                continue;
            }
            if (price.get().signum() < 0) {
                throw t.malformed("tngoLast", "negative price " + price.get().toPlainString());
            }
            String stamp = t.text(row, "timestamp");
            OffsetDateTime at;
            try {
                at = OffsetDateTime.parse(stamp);
            } catch (DateTimeParseException e) {
                throw t.malformed("timestamp", "expected an ISO-8601 time but found '" + stamp + "'");
            }
            out.put(symbol, new Quote(symbol, price.get(), Optional.empty(), at.toLocalDate(),
                    Optional.of(at.toInstant()), ID));
        }
        return out;
    }

    @Override
    public Optional<PriceHistory> history(String symbol, LocalDate from, LocalDate to) {
        String key = symbol.toUpperCase(Locale.ROOT);
        Stored stored;
        synchronized (locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)]) {
            stored = refresh(symbol, key, from);
        }
        if (stored.bars().isEmpty()) {
            return Optional.empty();
        }
        List<Dividend> dividends = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        for (DailyBar bar : stored.bars()) {
            bar.dividend().ifPresent(d -> dividends.add(new Dividend(bar.date(), d, Optional.empty())));
            bar.splitFactor().ifPresent(f -> splits.add(new Split(bar.date(), f, BigDecimal.ONE)));
        }
        PriceHistory h = new PriceHistory(symbol, Optional.empty(), stored.bars(), dividends, splits, ID)
                .between(from, to);
        return h.isEmpty() ? Optional.empty() : Optional.of(h);
    }

    private Stored refresh(String symbol, String key, LocalDate from) {
        LocalDate today = today();
        Instant now = settings.clock().instant();
        Stored s = histories.get(key);
        if (s == null || from.isBefore(s.start())) {
            LocalDate start = s == null || from.isBefore(s.start()) ? from : s.start();
            s = new Stored(start, daily(symbol, start, today), now);
            histories.put(key, s);
            return s;
        }
        boolean fresh = Duration.between(s.fetchedAt(), now).compareTo(settings.cacheTtl()) < 0;
        if (fresh || !s.last().isBefore(today)) {
            return s;
        }
        List<DailyBar> delta = daily(symbol, s.last().plusDays(1), today);
        boolean adjusted = delta.stream().anyMatch(b -> b.dividend().isPresent() || b.splitFactor().isPresent());
        if (adjusted) {
            // A new dividend or split rewrites every adjusted price before it: fetch the whole range again.
            s = new Stored(s.start(), daily(symbol, s.start(), today), now);
        } else {
            List<DailyBar> merged = new ArrayList<>(s.bars());
            LocalDate last = s.last();
            delta.stream().filter(b -> b.date().isAfter(last)).forEach(merged::add);
            s = new Stored(s.start(), List.copyOf(merged), now);
        }
        histories.put(key, s);
        return s;
    }

    private List<DailyBar> daily(String symbol, LocalDate from, LocalDate to) {
        HttpUrl url = settings.baseUrl().newBuilder().addPathSegments("tiingo/daily").addPathSegment(symbol)
                .addPathSegment("prices")
                .addQueryParameter("startDate", from.toString())
                .addQueryParameter("endDate", to.toString())
                .build();
        Optional<Object> tree = getTree(request(url));
        if (tree.isEmpty()) {
            return List.of();
        }
        Tree t = new Tree(ID, "GET /tiingo/daily/{ticker}/prices", symbol);
        List<Object> rows = t.list(tree.get(), "(body)");
        List<DailyBar> bars = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String f = "[" + i + "]";
            Map<String, Object> row = t.object(rows.get(i), f);
            Optional<BigDecimal> close = t.optDecimal(row, "close");
            if (close.isEmpty()) {
                continue;
            }
            if (close.get().signum() < 0) {
                throw t.malformed(f + ".close", "negative price " + close.get().toPlainString());
            }
            Optional<BigDecimal> div = t.optDecimal(row, "divCash").filter(d -> d.signum() != 0);
            Optional<BigDecimal> split = t.optDecimal(row, "splitFactor").filter(x -> x.compareTo(BigDecimal.ONE) != 0);
            if (split.isPresent() && split.get().signum() <= 0) {
                throw t.malformed(f + ".splitFactor", "non-positive split factor " + split.get().toPlainString());
            }
            if (div.isPresent() && div.get().signum() < 0) {
                throw t.malformed(f + ".divCash", "negative dividend " + div.get().toPlainString());
            }
            bars.add(new DailyBar(t.date(t.text(row, "date"), f + ".date"), t.optDecimal(row, "open"),
                    t.optDecimal(row, "high"), t.optDecimal(row, "low"), close.get(),
                    t.optDecimal(row, "adjClose"), t.optDecimal(row, "volume"), div, split));
        }
        bars.sort(java.util.Comparator.comparing(DailyBar::date));
        return List.copyOf(bars);
    }
}
