package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.cache.CacheKey;
import io.foliosync.connectors.api.cache.ResponseCache;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
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
 * Alpha Vantage: {@code GLOBAL_QUOTE} for the latest price and {@code TIME_SERIES_DAILY} for bars. Its free
 * tier counts calls per minute and per day; both limits are held locally by the shared limiter. Throttling
 * arrives as HTTP 200 with a {@code "Note"} or {@code "Information"} body: that is a
 * {@link RateLimitException}, never data, and is never cached. {@code GLOBAL_QUOTE} serves one symbol per
 * call (the bulk quote endpoint is premium), so each symbol is one call, cached.
 */
final class AlphaVantageProvider extends HttpProvider {
    static final String ID = "alpha_vantage";
    /** compact returns the latest 100 trading days; ask for full beyond about that many calendar days. */
    private static final int COMPACT_CALENDAR_DAYS = 140;

    AlphaVantageProvider(ProviderSettings settings, OkHttpClient base, ResponseCache<Object> cache) {
        super(settings, base, cache);
    }

    /** The automatic rules of {@link SymbolRules#alphaVantage}. */
    @Override
    public Optional<String> providerSymbol(Instrument instrument) {
        return SymbolRules.alphaVantage(instrument);
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.LATEST_QUOTES, Feature.DAILY_BARS);
    }

    @Override
    public QuoteBatch latestQuotes(Collection<String> symbols) {
        return batchThroughCache(symbols, 1, chunk -> {
            String symbol = chunk.get(0);
            return globalQuote(symbol).map(q -> Map.of(symbol, q)).orElse(Map.of());
        });
    }

    private Optional<Quote> globalQuote(String symbol) {
        Request request = get(query("GLOBAL_QUOTE").addQueryParameter("symbol", symbol).build());
        Tree t = new Tree(ID, "GET /query?function=GLOBAL_QUOTE", symbol);
        Map<String, Object> body = call(request, t, symbol);
        if (body.containsKey("Error Message")) {
            // An unknown symbol is {"Global Quote": {}}: an error here is the call itself refused, a wrong or missing
            // key being the likely cause.
            throw new DataFetchException(ID, "GET /query?function=GLOBAL_QUOTE", "symbol " + symbol
                    + ": Alpha Vantage refused the call: " + body.get("Error Message")
                    + " (check market_data.alpha_vantage.api_key)", null);
        }
        Map<String, Object> q = t.object(body, "Global Quote");
        if (q.isEmpty()) {
            return Optional.empty(); // {"Global Quote": {}}: unknown symbol
        }
        BigDecimal price = t.decimal(q, "05. price");
        if (price.signum() < 0) {
            throw t.malformed("05. price", "negative price " + price.toPlainString());
        }
        LocalDate day = t.date(t.text(q, "07. latest trading day"), "07. latest trading day");
        return Optional.of(new Quote(symbol, price, Optional.empty(), day, Optional.empty(), ID));
    }

    @Override
    public Optional<PriceHistory> history(String symbol, LocalDate from, LocalDate to) {
        String size = switch (settings.outputSize()) {
            case "compact", "full" -> settings.outputSize();
            default -> ChronoUnit.DAYS.between(from, today()) > COMPACT_CALENDAR_DAYS ? "full" : "compact";
        };
        Request request = get(query("TIME_SERIES_DAILY").addQueryParameter("symbol", symbol)
                .addQueryParameter("outputsize", size).build());
        Optional<PriceHistory> all = cached(CacheKey.of(request), () -> dailySeries(request, symbol));
        return all.map(h -> h.between(from, to)).filter(h -> !h.isEmpty());
    }

    private Optional<PriceHistory> dailySeries(Request request, String symbol) {
        Tree t = new Tree(ID, "GET /query?function=TIME_SERIES_DAILY", symbol);
        Map<String, Object> body = call(request, t, symbol);
        if (body.containsKey("Error Message")) {
            return Optional.empty();
        }
        Map<String, Object> series = t.object(body, "Time Series (Daily)");
        List<DailyBar> bars = new ArrayList<>();
        for (Map.Entry<String, Object> e : series.entrySet()) {
            String field = "Time Series (Daily)." + e.getKey();
            Map<String, Object> row = t.object(e.getValue(), field);
            Optional<BigDecimal> close = t.optDecimal(row, "4. close");
            if (close.isEmpty()) {
                continue;
            }
            if (close.get().signum() < 0) {
                throw t.malformed(field + ".4. close", "negative price " + close.get().toPlainString());
            }
            bars.add(new DailyBar(t.date(e.getKey(), field), t.optDecimal(row, "1. open"),
                    t.optDecimal(row, "2. high"), t.optDecimal(row, "3. low"), close.get(), Optional.empty(),
                    t.optDecimal(row, "5. volume"), Optional.empty(), Optional.empty()));
        }
        return Optional.of(new PriceHistory(symbol, Optional.empty(), bars, List.of(), List.of(), ID));
    }

    private HttpUrl.Builder query(String function) {
        return settings.baseUrl().newBuilder().addPathSegment("query")
                .addQueryParameter("function", function)
                .addQueryParameter("apikey", settings.apiKey().map(s -> s.reveal()).orElse("demo"));
    }

    /**
     * Executes and reads the body, turning Alpha Vantage's 200-with-a-message answers into typed errors. Alpha
     * Vantage has no error codes: which field the answer holds instead of the data decides. {@code Note} and
     * {@code Information} are its throttling answers; it also uses {@code Information} for a premium-only request
     * (a full history on a free key), which the message then says, with the setting that avoids it.
     */
    private Map<String, Object> call(Request request, Tree t, String symbol) {
        Map<String, Object> body = t.object(api.executeTree(request), "(body)");
        for (String key : List.of("Note", "Information")) {
            if (body.containsKey(key) && !body.containsKey("Time Series (Daily)") && !body.containsKey("Global Quote")) {
                throw new RateLimitException(ID, "symbol " + symbol + ": Alpha Vantage answered with \"" + key
                        + "\" instead of data: " + body.get(key) + " (its throttling answer; where it names a premium "
                        + "endpoint, set market_data.alpha_vantage.outputsize: compact)", Optional.empty());
            }
        }
        return body;
    }
}
