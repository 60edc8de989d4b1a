package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.FxRate;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.cache.CacheKey;
import io.foliosync.connectors.api.cache.ResponseCache;
import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * FRED ({@code api.stlouisfed.org}): {@code /fred/series/observations} for rates, CPI and the Federal
 * Reserve's daily H.10 FX series. A value of {@code "."} is a missing observation and stays empty.
 */
final class FredProvider extends HttpProvider {
    static final String ID = "fred";

    /** The H.10 series: currency, series id, and whether the series is quoted as USD per unit of currency. */
    private record FxSeries(String id, boolean usdPerUnit) {
    }

    private static final Map<String, FxSeries> FX = Map.ofEntries(
            Map.entry("EUR", new FxSeries("DEXUSEU", true)),
            Map.entry("GBP", new FxSeries("DEXUSUK", true)),
            Map.entry("AUD", new FxSeries("DEXUSAL", true)),
            Map.entry("NZD", new FxSeries("DEXUSNZ", true)),
            Map.entry("JPY", new FxSeries("DEXJPUS", false)),
            Map.entry("CAD", new FxSeries("DEXCAUS", false)),
            Map.entry("CHF", new FxSeries("DEXSZUS", false)),
            Map.entry("CNY", new FxSeries("DEXCHUS", false)),
            Map.entry("HKD", new FxSeries("DEXHKUS", false)),
            Map.entry("INR", new FxSeries("DEXINUS", false)),
            Map.entry("KRW", new FxSeries("DEXKOUS", false)),
            Map.entry("MXN", new FxSeries("DEXMXUS", false)),
            Map.entry("NOK", new FxSeries("DEXNOUS", false)),
            Map.entry("SEK", new FxSeries("DEXSDUS", false)),
            Map.entry("DKK", new FxSeries("DEXDNUS", false)),
            Map.entry("SGD", new FxSeries("DEXSIUS", false)),
            Map.entry("BRL", new FxSeries("DEXBZUS", false)),
            Map.entry("ZAR", new FxSeries("DEXSFUS", false)),
            Map.entry("TWD", new FxSeries("DEXTAUS", false)),
            Map.entry("THB", new FxSeries("DEXTHUS", false)),
            Map.entry("MYR", new FxSeries("DEXMAUS", false)),
            Map.entry("LKR", new FxSeries("DEXSLUS", false)));

    FredProvider(ProviderSettings settings, OkHttpClient base, ResponseCache<Object> cache) {
        super(settings, base, cache);
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.FX_RATES, Feature.ECONOMIC_SERIES);
    }

    @Override
    public List<Observation> series(String seriesId, LocalDate from, LocalDate to) {
        HttpUrl url = settings.baseUrl().newBuilder().addPathSegments("fred/series/observations")
                .addQueryParameter("series_id", seriesId)
                .addQueryParameter("api_key", settings.apiKey().map(s -> s.reveal()).orElse(""))
                .addQueryParameter("file_type", "json")
                .addQueryParameter("observation_start", from.toString())
                .addQueryParameter("observation_end", to.toString())
                .build();
        Request request = get(url);
        return cached(CacheKey.of(request), () -> fetch(request, seriesId));
    }

    private List<Observation> fetch(Request request, String seriesId) {
        Object root;
        try {
            Optional<Object> tree = getTree(request);
            if (tree.isEmpty()) {
                return List.of();
            }
            root = tree.get();
        } catch (HttpStatusException e) {
            if (isUnknownSeries(e)) {
                return List.of();
            }
            throw e;
        }
        Tree t = new Tree(ID, "GET /fred/series/observations", seriesId);
        Map<String, Object> body = t.object(root, "(body)");
        List<Observation> out = new ArrayList<>();
        List<Object> observations = t.list(body, "observations");
        for (int i = 0; i < observations.size(); i++) {
            String field = "observations[" + i + "]";
            Map<String, Object> o = t.object(observations.get(i), field);
            LocalDate date = t.date(t.text(o, "date"), field + ".date");
            String value = t.text(o, "value");
            out.add(new Observation(date, ".".equals(value) ? Optional.empty()
                    : Optional.of(t.decimal(value, field + ".value"))));
        }
        return List.copyOf(out);
    }

    /**
     * FRED has no 404 for an unknown series id: it answers 400 with
     * {@code {"error_code":400,"error_message":"Bad Request.  The series does not exist."}}, and other 400s
     * (a bad date, a bad key) in the same shape. Only the body's {@code error_message} field tells them apart.
     */
    static boolean isUnknownSeries(HttpStatusException e) {
        if (e.status() != 400) {
            return false;
        }
        try {
            return Json.readTree(e.detail()) instanceof Map<?, ?> body
                    && body.get("error_message") instanceof String message
                    && message.toLowerCase(Locale.ROOT).contains("series does not exist");
        } catch (IOException | RuntimeException notJson) {
            return false;
        }
    }

    @Override
    public Optional<FxRate> fxRate(String from, String to, LocalDate date, int lookbackDays) {
        boolean fromUsd = "USD".equals(from);
        String other = fromUsd ? to : from;
        FxSeries s = FX.get(other);
        if (s == null || !(fromUsd || "USD".equals(to))) {
            return Optional.empty();
        }
        Optional<Observation> last = series(s.id(), date.minusDays(lookbackDays), date).stream()
                .filter(o -> o.value().isPresent() && !o.date().isAfter(date)
                        && !o.date().isBefore(date.minusDays(lookbackDays)))
                .reduce((a, b) -> b);
        if (last.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal v = last.get().value().get();
        if (v.signum() <= 0) {
            throw DataFetchException.malformed(ID, "GET /fred/series/observations", s.id(), "value",
                    "non-positive exchange rate " + v.toPlainString() + " on " + last.get().date(), null);
        }
        // usdPerUnit: v USD buys 1 unit of `other`; otherwise 1 USD buys v units of `other`.
        BigDecimal otherToUsd = s.usdPerUnit() ? v : BigDecimal.ONE.divide(v, FxRate.PRECISION);
        BigDecimal rate = fromUsd ? BigDecimal.ONE.divide(otherToUsd, FxRate.PRECISION) : otherToUsd;
        if (fromUsd && !s.usdPerUnit()) {
            rate = v;
        }
        return Optional.of(FxRate.direct(from, to, rate, last.get().date(), ID + ":" + s.id()));
    }
}
