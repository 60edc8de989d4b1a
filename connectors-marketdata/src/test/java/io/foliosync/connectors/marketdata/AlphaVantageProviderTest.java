package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlphaVantageProviderTest {
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MarketDataConnector av(Map<String, Object> overrides) {
        Map<String, Object> s = section("alpha_vantage");
        Map<String, Object> p = provider(server);
        p.putAll(overrides);
        s.put("alpha_vantage", p);
        return connector(s, fixed("2018-10-08T12:00:00Z"));
    }

    private void serve(String globalQuote, String daily) {
        server.setDispatcher(routes(r -> switch (String.valueOf(r.getUrl().queryParameter("function"))) {
            case "GLOBAL_QUOTE" -> json(resource(globalQuote));
            case "TIME_SERIES_DAILY" -> json(resource(daily));
            default -> null;
        }));
    }

    @Test
    void globalQuoteParsesPriceAndTradingDay() throws Exception {
        serve("alphavantage/global-quote-MSFT.json", "alphavantage/time-series-daily-MSFT.json");

        Lookup<Quote> q = av(Map.of()).latestQuote("MSFT");

        Quote quote = q.value().orElseThrow();
        assertThat(quote.price()).isEqualByComparingTo("112.1300");
        assertThat(quote.date()).isEqualTo(LocalDate.of(2018, 10, 5));
        assertThat(quote.currency()).as("GLOBAL_QUOTE states no currency").isEmpty();
        assertThat(q.provider()).contains("alpha_vantage");
        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().queryParameter("symbol")).isEqualTo("MSFT");
        assertThat(r.getUrl().queryParameter("apikey")).isEqualTo(KEY);
    }

    @Test
    void dailySeriesParsesEveryRowOldestFirst() throws Exception {
        serve("alphavantage/global-quote-MSFT.json", "alphavantage/time-series-daily-MSFT.json");

        PriceHistory h = av(Map.of()).history("MSFT", LocalDate.of(2017, 12, 12), LocalDate.of(2017, 12, 18))
                .value().orElseThrow();

        assertThat(h.bars()).extracting(DailyBar::date).containsExactly(LocalDate.of(2017, 12, 12),
                LocalDate.of(2017, 12, 13), LocalDate.of(2017, 12, 14), LocalDate.of(2017, 12, 15),
                LocalDate.of(2017, 12, 18));
        assertThat(h.bars().get(4).close()).isEqualByComparingTo("86.3800");
        assertThat(h.bars().get(4).volume()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("21610426"));
        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().queryParameter("outputsize")).as("from is 300 days back: compact holds 100 days")
                .isEqualTo("full");
    }

    @Test
    void status200WithNoteIsARateLimitNotData() {
        serve("alphavantage/throttled-note.json", "alphavantage/throttled-note.json");
        MarketDataConnector md = av(Map.of());

        Lookup<Quote> q = md.latestQuote("MSFT");

        assertThat(q.found()).isFalse();
        assertThat(q.attempts()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Attempt.Outcome.RATE_LIMITED);
            assertThat(a.detail()).contains("MSFT").contains("Note");
        });
        // A throttled answer is never cached: the next call asks again.
        md.latestQuote("MSFT");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void status200WithInformationIsARateLimitNotData() {
        serve("alphavantage/throttled-information.json", "alphavantage/throttled-information.json");

        Lookup<PriceHistory> h = av(Map.of()).history("MSFT", LocalDate.of(2018, 9, 1), LocalDate.of(2018, 10, 5));

        assertThat(h.found()).isFalse();
        assertThat(h.attempts()).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(Attempt.Outcome.RATE_LIMITED));
    }

    @Test
    void dailyLimitIsEnforcedLocallyBeforeTheWire() {
        serve("alphavantage/global-quote-MSFT.json", "alphavantage/time-series-daily-MSFT.json");
        // 25 a day: the limiter starts with a burst of 2 and refills the rest over the day.
        MarketDataConnector md = av(Map.of("rate_limit_per_second", "", "rate_limit_per_minute", 5000,
                "rate_limit_per_day", 25, "rate_limit_max_wait", "1s"));

        Map<String, Lookup<Quote>> quotes = md.latestQuotes(List.of("MSFT", "AAPL", "IBM"));

        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(quotes.get("IBM").attempts()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Attempt.Outcome.RATE_LIMITED);
            assertThat(a.detail()).contains("client-side rate limit");
        });
    }

    @Test
    void unknownSymbolWithEmptyGlobalQuoteIsMissing() {
        server.setDispatcher(routes(r -> json("{\"Global Quote\": {}}")));

        Lookup<Quote> q = av(Map.of()).latestQuote("NOPE");

        assertThat(q.found()).isFalse();
        assertThat(q.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.NO_DATA);
    }
}
