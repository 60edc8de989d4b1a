package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TiingoProviderTest {
    private final MockWebServer server = new MockWebServer();
    private final List<String> startDates = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MarketDataConnector tiingo(java.time.Clock clock) {
        Map<String, Object> s = section("tiingo");
        s.put("cache_duration", "1h");
        s.put("tiingo", provider(server));
        return connector(s, clock);
    }

    @Test
    void iexServesManyTickersInOneRequestWithTheKeyInAHeader() throws Exception {
        server.setDispatcher(routes(r -> r.getUrl().encodedPath().equals("/iex/")
                ? json(resource("tiingo/iex-AAPL-MSFT.json")) : null));
        MarketDataConnector md = tiingo(fixed("2020-11-06T22:00:00Z"));

        Map<String, Lookup<Quote>> q = md.latestQuotes(List.of("AAPL", "MSFT", "NOPE"));

        assertThat(q.get("AAPL").value().orElseThrow().price()).isEqualByComparingTo("118.69");
        assertThat(q.get("AAPL").value().orElseThrow().date()).isEqualTo(LocalDate.of(2020, 11, 6));
        assertThat(q.get("MSFT").provider()).contains("tiingo");
        assertThat(q.get("NOPE").found()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().queryParameter("tickers")).isEqualTo("aapl,msft,nope");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Token " + KEY);
        assertThat(r.getUrl().toString()).doesNotContain(KEY);
    }

    @Test
    void fiveHundredSymbolsTakeFiveBatchRequestsAndRepeatsNone() {
        server.setDispatcher(routes(r -> r.getUrl().encodedPath().equals("/iex/")
                ? json(iexRows(r.getUrl().queryParameter("tickers").split(","))) : null));
        MarketDataConnector md = tiingo(fixed("2020-11-06T22:00:00Z"));
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            symbols.add("S" + i);
        }

        Map<String, Lookup<Quote>> first = md.latestQuotes(symbols);
        assertThat(first.values()).allMatch(Lookup::found);
        assertThat(server.getRequestCount()).isEqualTo(5);

        Map<String, Lookup<Quote>> second = md.latestQuotes(symbols);
        assertThat(second.values()).allMatch(Lookup::found);
        assertThat(server.getRequestCount()).as("cache hits never reach the wire").isEqualTo(5);
    }

    static String iexRows(String[] tickers) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < tickers.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"ticker\":\"").append(tickers[i].toUpperCase(java.util.Locale.ROOT))
                    .append("\",\"timestamp\":\"2020-11-06T16:00:00.478349088-05:00\",\"tngoLast\":")
                    .append(10 + i).append(".25,\"last\":null,\"prevClose\":10.0,\"volume\":100}");
        }
        return sb.append(']').toString();
    }

    private void serveDaily(Map<String, String> byStartDate) {
        server.setDispatcher(routes(r -> {
            if (!r.getUrl().encodedPath().equals("/tiingo/daily/AAPL/prices")) {
                return null;
            }
            String start = r.getUrl().queryParameter("startDate");
            startDates.add(start);
            String file = byStartDate.get(start);
            return file == null ? json("[]") : json(resource(file));
        }));
    }

    @Test
    void historyIsFetchedOnceThenOnlyTheDaysAfterAndRefetchedWhenASplitAppears() {
        serveDaily(Map.of(
                "2020-08-27", "tiingo/daily-AAPL-2020-08-27-to-2020-08-28.json",
                "2020-08-29", "tiingo/daily-AAPL-2020-08-29-to-2020-09-02.json"));
        MutableClock clock = new MutableClock("2020-08-28T23:00:00Z");
        MarketDataConnector md = tiingo(clock);

        PriceHistory h1 = md.history("AAPL", LocalDate.of(2020, 8, 27), LocalDate.of(2020, 8, 28)).value().orElseThrow();
        assertThat(h1.bars()).hasSize(2);
        assertThat(h1.bars().get(1).adjustedClose()).hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo("124.0360035"));
        // Within cache_duration: served from the store.
        md.history("AAPL", LocalDate.of(2020, 8, 27), LocalDate.of(2020, 8, 28));
        assertThat(startDates).containsExactly("2020-08-27");

        // Days later the delta holds the 4:1 split: adjusted history changed, so the whole range is fetched again.
        serveDaily(Map.of(
                "2020-08-29", "tiingo/daily-AAPL-2020-08-29-to-2020-09-02.json",
                "2020-08-27", "tiingo/daily-AAPL-2020-08-27-to-2020-09-02.json"));
        startDates.clear();
        clock.set("2020-09-02T23:00:00Z");
        PriceHistory h2 = md.history("AAPL", LocalDate.of(2020, 8, 27), LocalDate.of(2020, 9, 2)).value().orElseThrow();

        assertThat(startDates).containsExactly("2020-08-29", "2020-08-27");
        assertThat(h2.bars()).hasSize(5);
        assertThat(h2.bars().get(1).adjustedClose()).as("re-fetched adjusted close")
                .hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo("123.9482"));
        assertThat(h2.splits()).singleElement().satisfies(s -> {
            assertThat(s.date()).isEqualTo(LocalDate.of(2020, 8, 31));
            assertThat(s.factor()).isEqualByComparingTo("4");
        });
        assertThat(h2.dividends()).isEmpty();
    }

    private static String bar(String date, String close, String divCash, String splitFactor) {
        return "{\"date\":\"" + date + "T00:00:00.000Z\",\"close\":" + close + ",\"high\":" + close
                + ",\"low\":" + close + ",\"open\":" + close + ",\"volume\":1000,\"adjClose\":" + close
                + ",\"adjHigh\":" + close + ",\"adjLow\":" + close + ",\"adjOpen\":" + close
                + ",\"adjVolume\":1000,\"divCash\":" + divCash + ",\"splitFactor\":" + splitFactor + "}";
    }

    private void serveInline(Map<String, String> byStartDate) {
        server.setDispatcher(routes(r -> {
            if (!r.getUrl().encodedPath().equals("/tiingo/daily/AAPL/prices")) {
                return null;
            }
            String start = r.getUrl().queryParameter("startDate");
            startDates.add(start);
            return json(byStartDate.getOrDefault(start, "[]"));
        }));
    }

    @Test
    void deltaWithoutCorporateActionsIsAppendedWithoutARefetch() {
        serveInline(Map.of("2020-08-27", "[" + bar("2020-08-27", "500.04", "0.0", "1.0") + ","
                        + bar("2020-08-28", "499.23", "0.0", "1.0") + "]",
                "2020-08-29", "[" + bar("2020-08-31", "508.0", "0.0", "1.0") + "]"));
        MutableClock clock = new MutableClock("2020-08-28T23:00:00Z");
        MarketDataConnector md = tiingo(clock);
        md.history("AAPL", LocalDate.of(2020, 8, 27), LocalDate.of(2020, 8, 28));

        clock.set("2020-08-31T23:00:00Z");
        PriceHistory h = md.history("AAPL", LocalDate.of(2020, 8, 27), LocalDate.of(2020, 8, 31)).value().orElseThrow();

        assertThat(startDates).containsExactly("2020-08-27", "2020-08-29");
        assertThat(h.bars()).extracting(DailyBar::date).containsExactly(LocalDate.of(2020, 8, 27),
                LocalDate.of(2020, 8, 28), LocalDate.of(2020, 8, 31));
    }

    @Test
    void dividendInTheDeltaTriggersAFullRefetchAndIsReported() {
        serveInline(Map.of("2020-11-05", "[" + bar("2020-11-05", "119.03", "0.0", "1.0") + "]",
                "2020-11-06", resource("tiingo/daily-AAPL-2020-11-06-dividend.json")));
        MutableClock clock = new MutableClock("2020-11-05T23:00:00Z");
        MarketDataConnector md = tiingo(clock);
        md.history("AAPL", LocalDate.of(2020, 11, 5), LocalDate.of(2020, 11, 5));
        serveInline(Map.of("2020-11-05", "[" + bar("2020-11-05", "119.03", "0.0", "1.0") + ","
                        + bar("2020-11-06", "118.69", "0.205", "1.0") + "]",
                "2020-11-06", resource("tiingo/daily-AAPL-2020-11-06-dividend.json")));

        clock.set("2020-11-06T23:00:00Z");
        PriceHistory h = md.history("AAPL", LocalDate.of(2020, 11, 5), LocalDate.of(2020, 11, 6)).value().orElseThrow();

        assertThat(startDates).containsExactly("2020-11-05", "2020-11-06", "2020-11-05");
        assertThat(h.bars()).hasSize(2);
        assertThat(h.dividends()).singleElement().satisfies(d -> {
            assertThat(d.exDate()).isEqualTo(LocalDate.of(2020, 11, 6));
            assertThat(d.amount()).isEqualByComparingTo("0.205");
        });
    }

    @Test
    void storedHistoriesAreBoundedAndTheLeastRecentlyAskedIsFetchedAgain() {
        List<String> paths = new CopyOnWriteArrayList<>();
        String body = resource("tiingo/daily-AAPL-2020-08-27-to-2020-08-28.json");
        server.setDispatcher(routes(r -> {
            paths.add(r.getUrl().encodedPath());
            return r.getUrl().encodedPath().startsWith("/tiingo/daily/") ? json(body) : null;
        }));
        Map<String, Object> s = section("tiingo");
        s.put("cache_duration", "1h");
        Map<String, Object> p = provider(server);
        p.put("history_max_symbols", 2);
        s.put("tiingo", p);
        MarketDataConnector md = connector(s, fixed("2020-08-28T23:00:00Z"));
        LocalDate from = LocalDate.of(2020, 8, 27);
        LocalDate to = LocalDate.of(2020, 8, 28);

        for (String symbol : List.of("AAPL", "MSFT", "AAPL", "NVDA", "MSFT", "AAPL")) {
            assertThat(md.history(symbol, from, to).found()).isTrue();
        }

        // Bound 2. AAPL, MSFT stored; AAPL again: no request, now the most recently used; NVDA drops MSFT;
        // MSFT is fetched again and drops AAPL (used before NVDA); so the last AAPL is fetched again too.
        assertThat(paths).containsExactly("/tiingo/daily/AAPL/prices", "/tiingo/daily/MSFT/prices",
                "/tiingo/daily/NVDA/prices", "/tiingo/daily/MSFT/prices", "/tiingo/daily/AAPL/prices");
    }

    @Test
    void historyStoreNeverHoldsMoreThanItsBound() {
        String body = resource("tiingo/daily-AAPL-2020-08-27-to-2020-08-28.json");
        server.setDispatcher(routes(r -> json(body)));
        ProviderSettings settings = new ProviderSettings("tiingo", server.url("/"), java.util.Optional.empty(),
                java.time.Duration.ofHours(1), java.util.Optional.empty(),
                io.foliosync.connectors.api.http.RetryPolicy.builder().maxAttempts(1).build(), 100, "auto", 3,
                fixed("2020-08-28T23:00:00Z"));
        TiingoProvider tiingo = new TiingoProvider(settings, new okhttp3.OkHttpClient(),
                io.foliosync.connectors.api.cache.ResponseCache.create(10));

        for (int i = 0; i < 10; i++) {
            tiingo.history("S" + i, LocalDate.of(2020, 8, 27), LocalDate.of(2020, 8, 28));
            assertThat(tiingo.storedHistories()).isLessThanOrEqualTo(3);
        }
        assertThat(tiingo.storedHistories()).isEqualTo(3);
        assertThat(server.getRequestCount()).isEqualTo(10);
    }

    @Test
    void invalidBoundsAreConfigurationProblemsNamingTheKey() {
        Map<String, Object> s = section("tiingo");
        s.put("cache_max_entries", 0);
        Map<String, Object> p = provider(server);
        p.put("history_max_symbols", 0);
        s.put("tiingo", p);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connector(s, fixed("2020-08-28T23:00:00Z")))
                .isInstanceOf(io.foliosync.connectors.api.ConfigurationException.class)
                .satisfies(e -> assertThat(((io.foliosync.connectors.api.ConfigurationException) e).problems())
                        .anySatisfy(m -> assertThat(m).contains("market_data.cache_max_entries"))
                        .anySatisfy(m -> assertThat(m).contains("market_data.tiingo.history_max_symbols")));
    }
}
