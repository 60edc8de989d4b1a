package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.FxRate;
import io.foliosync.connectors.api.cache.CacheKey;
import io.foliosync.connectors.api.cache.ResponseCache;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Yahoo Finance's chart endpoint, {@code /v8/finance/chart/{symbol}}, always with explicit
 * {@code period1}/{@code period2} and {@code interval=1d} ({@code range=max} silently downsamples). One
 * response carries bars, dividends and splits. The chart endpoint answers without cookie or crumb (the
 * recorded exchanges were made with an empty cookie); the crumb-guarded {@code v7/finance/quote} batch
 * endpoint is not used, so latest quotes cost one chart call per symbol, each cached.
 *
 * <p>Yahoo serves indicator prices as float32 values printed as doubles ({@code 129.0399932861328} for
 * 129.04); they are rounded to 7 significant digits, float32's precision, which recovers the published
 * price. Prices quoted in minor units ({@code GBp}, {@code ZAc}, {@code ILA}) are converted to the major
 * currency.
 */
final class YahooProvider extends HttpProvider {
    static final String ID = "yahoo";
    private static final MathContext FLOAT32 = new MathContext(7);
    private static final int QUOTE_WINDOW_DAYS = 7;

    YahooProvider(ProviderSettings settings, OkHttpClient base, ResponseCache<Object> cache) {
        super(settings, base, cache);
    }

    /** The automatic rules of {@link SymbolRules#yahoo}. */
    @Override
    public Optional<String> providerSymbol(Instrument instrument) {
        return SymbolRules.yahoo(instrument);
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.LATEST_QUOTES, Feature.DAILY_BARS, Feature.DIVIDENDS, Feature.SPLITS,
                Feature.FX_RATES);
    }

    @Override
    public QuoteBatch latestQuotes(Collection<String> symbols) {
        return batchThroughCache(symbols, 1, chunk -> {
            String symbol = chunk.get(0);
            LocalDate today = today();
            return chart(symbol, today.minusDays(QUOTE_WINDOW_DAYS), today)
                    .flatMap(Chart::latest)
                    .map(q -> Map.of(symbol, q))
                    .orElse(Map.of());
        });
    }

    @Override
    public Optional<PriceHistory> history(String symbol, LocalDate from, LocalDate to) {
        return chart(symbol, from, to).map(c -> c.history.between(from, to)).filter(h -> !h.isEmpty());
    }

    @Override
    public Optional<FxRate> fxRate(String from, String to, LocalDate date, int lookbackDays) {
        String pair = from + to + "=X";
        return history(pair, date.minusDays(lookbackDays), date)
                .flatMap(h -> h.barOnOrBefore(date))
                .map(bar -> FxRate.direct(from, to, bar.close(), bar.date(), ID + ":" + pair));
    }

    private Optional<Chart> chart(String symbol, LocalDate from, LocalDate to) {
        HttpUrl url = settings.baseUrl().newBuilder()
                .addPathSegments("v8/finance/chart")
                .addPathSegment(symbol)
                // A day early: period1 is UTC midnight, and Asian sessions open before it.
                .addQueryParameter("period1", Long.toString(epoch(from.minusDays(1))))
                .addQueryParameter("period2", Long.toString(epoch(to.plusDays(1))))
                .addQueryParameter("interval", "1d")
                .addQueryParameter("events", "div,split")
                .build();
        Request request = get(url);
        return cached(CacheKey.of(request), () -> getTree(request)
                .flatMap(tree -> parse(new Tree(ID, "GET /v8/finance/chart", symbol), symbol, tree)));
    }

    private static long epoch(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    /** A parsed chart: the history and the latest price in the meta block. */
    private record Chart(PriceHistory history, Optional<Quote> metaQuote) {
        Optional<Quote> latest() {
            if (metaQuote.isPresent()) {
                return metaQuote;
            }
            List<DailyBar> bars = history.bars();
            if (bars.isEmpty()) {
                return Optional.empty();
            }
            DailyBar last = bars.get(bars.size() - 1);
            return Optional.of(new Quote(history.symbol(), last.close(), history.currency(), last.date(),
                    Optional.empty(), ID));
        }
    }

    static Optional<Chart> parse(Tree t, String symbol, Object root) {
        Map<String, Object> chart = t.object(t.object(root, "chart"), "chart");
        Object resultNode = chart.get("result");
        if (resultNode == null) {
            // {"chart":{"result":null,"error":{"code":"Not Found",...}}}: no data for the symbol.
            return Optional.empty();
        }
        List<Object> results = t.list(resultNode, "chart.result");
        if (results.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> result = t.object(results.get(0), "chart.result[0]");
        Map<String, Object> meta = t.object(result, "meta");
        Unit unit = Unit.of(t.optText(meta, "currency"));
        ZoneId zone = zone(t.optText(meta, "exchangeTimezoneName"));

        List<DailyBar> bars = new ArrayList<>();
        Optional<List<Object>> stamps = t.optList(result, "timestamp");
        if (stamps.isPresent()) {
            List<Object> ts = stamps.get();
            Map<String, Object> indicators = t.object(result, "indicators");
            Map<String, Object> quote = t.object(t.list(indicators, "quote").stream().findFirst()
                    .orElseThrow(() -> t.malformed("indicators.quote", "empty")), "indicators.quote[0]");
            List<Object> open = column(t, quote, "open", ts.size());
            List<Object> high = column(t, quote, "high", ts.size());
            List<Object> low = column(t, quote, "low", ts.size());
            List<Object> close = column(t, quote, "close", ts.size());
            List<Object> volume = column(t, quote, "volume", ts.size());
            List<Object> adj = t.optList(indicators, "adjclose")
                    .flatMap(l -> l.stream().findFirst())
                    .map(a -> column(t, t.object(a, "indicators.adjclose[0]"), "adjclose", ts.size()))
                    .orElse(null);
            for (int i = 0; i < ts.size(); i++) {
                Optional<BigDecimal> c = price(t, close.get(i), "indicators.quote[0].close[" + i + "]", unit);
                if (c.isEmpty()) {
                    continue; // a day without a close is missing, not zero
                }
                LocalDate day = instant(t, ts.get(i), "timestamp[" + i + "]").atZone(zone).toLocalDate();
                bars.add(new DailyBar(day,
                        price(t, open.get(i), "open[" + i + "]", unit),
                        price(t, high.get(i), "high[" + i + "]", unit),
                        price(t, low.get(i), "low[" + i + "]", unit),
                        c.get(),
                        adj == null ? Optional.empty() : price(t, adj.get(i), "adjclose[" + i + "]", unit),
                        t.optDecimal(volume.get(i), "volume[" + i + "]"),
                        Optional.empty(), Optional.empty()));
            }
        }

        List<Dividend> dividends = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        Optional<Map<String, Object>> events = t.optObject(result, "events");
        if (events.isPresent()) {
            for (Object d : t.optObject(events.get(), "dividends").map(Map::values).orElse(List.of())) {
                Map<String, Object> div = t.object(d, "events.dividends");
                BigDecimal amount = unit.major(t.decimal(div, "amount"));
                if (amount.signum() > 0) {
                    dividends.add(new Dividend(instant(t, div.get("date"), "events.dividends.date")
                            .atZone(zone).toLocalDate(), amount, unit.currency));
                }
            }
            for (Object s : t.optObject(events.get(), "splits").map(Map::values).orElse(List.of())) {
                Map<String, Object> split = t.object(s, "events.splits");
                BigDecimal num = t.decimal(split, "numerator");
                BigDecimal den = t.decimal(split, "denominator");
                if (num.signum() <= 0 || den.signum() <= 0) {
                    throw t.malformed("events.splits", "split ratio " + num + ":" + den + " is not positive");
                }
                splits.add(new Split(instant(t, split.get("date"), "events.splits.date").atZone(zone).toLocalDate(),
                        num, den));
            }
        }

        Optional<Quote> metaQuote = Optional.empty();
        Optional<BigDecimal> marketPrice = t.optDecimal(meta, "regularMarketPrice");
        if (marketPrice.isPresent() && meta.get("regularMarketTime") != null) {
            if (marketPrice.get().signum() < 0) {
                throw t.malformed("meta.regularMarketPrice", "negative price " + marketPrice.get());
            }
            Instant at = instant(t, meta.get("regularMarketTime"), "meta.regularMarketTime");
            metaQuote = Optional.of(new Quote(symbol, unit.major(marketPrice.get()), unit.currency,
                    at.atZone(zone).toLocalDate(), Optional.of(at), ID));
        }
        return Optional.of(new Chart(new PriceHistory(symbol, unit.currency, bars, dividends, splits, ID),
                metaQuote));
    }

    private static List<Object> column(Tree t, Map<String, Object> parent, String field, int size) {
        Optional<List<Object>> l = t.optList(parent, field);
        if (l.isEmpty()) {
            List<Object> empty = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                empty.add(null);
            }
            return empty;
        }
        if (l.get().size() != size) {
            throw t.malformed(field, "has " + l.get().size() + " values for " + size + " timestamps");
        }
        return l.get();
    }

    private static Optional<BigDecimal> price(Tree t, Object v, String field, Unit unit) {
        Optional<BigDecimal> d = t.optDecimal(v, field);
        if (d.isPresent() && d.get().signum() < 0) {
            throw t.malformed(field, "negative price " + d.get().toPlainString());
        }
        return d.map(x -> unit.major(plain(x.round(FLOAT32))));
    }

    private static BigDecimal plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static Instant instant(Tree t, Object v, String field) {
        BigDecimal seconds = t.decimal(v, field);
        try {
            return Instant.ofEpochSecond(seconds.longValueExact());
        } catch (ArithmeticException | DateTimeException e) {
            throw t.malformed(field, "expected epoch seconds but found " + seconds.toPlainString());
        }
    }

    private static ZoneId zone(Optional<String> name) {
        try {
            return name.map(ZoneId::of).orElse(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** Yahoo's currency, with minor units (pence, cents, agorot) mapped to the major currency. */
    private record Unit(Optional<String> currency, BigDecimal divisor) {
        static Unit of(Optional<String> raw) {
            if (raw.isEmpty()) {
                return new Unit(Optional.empty(), BigDecimal.ONE);
            }
            return switch (raw.get()) {
                case "GBp", "GBX" -> new Unit(Optional.of("GBP"), BigDecimal.valueOf(100));
                case "ZAc", "ZAC" -> new Unit(Optional.of("ZAR"), BigDecimal.valueOf(100));
                case "ILA" -> new Unit(Optional.of("ILS"), BigDecimal.valueOf(100));
                default -> {
                    String code = raw.get().toUpperCase(java.util.Locale.ROOT);
                    yield new Unit(io.foliosync.connectors.api.CurrencyCodes.isWellFormed(code)
                            ? Optional.of(code) : Optional.empty(), BigDecimal.ONE);
                }
            };
        }

        BigDecimal major(BigDecimal amount) {
            return divisor.equals(BigDecimal.ONE) ? amount : plain(amount.divide(divisor, MathContext.DECIMAL64));
        }
    }
}
