package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.FxRate;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class YahooProviderTest {
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MarketDataConnector yahoo(String now) {
        Map<String, Object> s = section("yahoo");
        s.put("yahoo", provider(server));
        return connector(s, fixed(now));
    }

    private void serve(String symbol, String file) {
        String body = yahooBody(file);
        server.setDispatcher(routes(r -> r.getUrl().encodedPath().equals("/v8/finance/chart/" + symbol)
                ? json(body) : null));
    }

    @Test
    void chartGivesBarsDividendsAndSplitsFromTheRecordedAaplResponse() throws Exception {
        serve("AAPL", "chart-AAPL-2020-08-31-to-2020-11-07.json");
        MarketDataConnector md = yahoo("2020-11-09T12:00:00Z");

        Lookup<PriceHistory> h = md.history("AAPL", LocalDate.of(2020, 8, 31), LocalDate.of(2020, 11, 7));

        assertThat(h.provider()).contains("yahoo");
        PriceHistory history = h.value().orElseThrow();
        assertThat(history.currency()).contains("USD");
        DailyBar first = history.bars().get(0);
        assertThat(first.date()).isEqualTo(LocalDate.of(2020, 8, 31));
        // 129.0399932861328 in the body is float32's 129.04
        assertThat(first.close()).isEqualByComparingTo("129.04");
        assertThat(history.splits()).singleElement().satisfies(s -> {
            assertThat(s.date()).isEqualTo(LocalDate.of(2020, 8, 31));
            assertThat(s.factor()).isEqualByComparingTo("4");
        });
        assertThat(history.dividends()).singleElement().satisfies(d -> {
            assertThat(d.exDate()).isEqualTo(LocalDate.of(2020, 11, 6));
            assertThat(d.amount()).isEqualByComparingTo("0.205");
        });
        assertThat(history.bars()).allSatisfy(b -> assertThat(b.close().signum()).isPositive());

        RecordedRequest request = server.takeRequest();
        assertThat(request.getUrl().queryParameter("interval")).isEqualTo("1d");
        assertThat(request.getUrl().queryParameter("events")).isEqualTo("div,split");
        assertThat(request.getUrl().queryParameter("period1")).isNotNull();
        assertThat(request.getUrl().queryParameter("period2")).isNotNull();
        assertThat(request.getUrl().queryParameter("range")).as("range=max downsamples silently").isNull();
    }

    @Test
    void xetraChartKeepsItsEuroCurrency() {
        serve("WSU.DE", "chart-WSU.DE-2023-08-04-to-2023-08-09.json");
        MarketDataConnector md = yahoo("2023-08-10T12:00:00Z");

        PriceHistory h = md.history("WSU.DE", LocalDate.of(2023, 8, 4), LocalDate.of(2023, 8, 9))
                .value().orElseThrow();

        assertThat(h.currency()).contains("EUR");
        assertThat(h.bars()).isNotEmpty();
        assertThat(h.bars()).extracting(DailyBar::date).allSatisfy(d ->
                assertThat(d).isBetween(LocalDate.of(2023, 8, 4), LocalDate.of(2023, 8, 9)));
    }

    @Test
    void latestQuoteComesFromTheChartMetaWithItsTime() {
        serve("AAPL", "chart-AAPL-2020-08-31-to-2020-11-07.json");
        MarketDataConnector md = yahoo("2025-02-20T12:00:00Z");

        Lookup<Quote> q = md.latestQuote("AAPL");

        Quote quote = q.value().orElseThrow();
        assertThat(quote.price()).isEqualByComparingTo("244.87");
        assertThat(quote.currency()).contains("USD");
        assertThat(quote.date()).isEqualTo(LocalDate.of(2025, 2, 19)); // 16:00 New York
        assertThat(quote.provider()).isEqualTo("yahoo");
    }

    @Test
    void fxPairComesFromTheEurUsdChart() {
        serve("EURUSD=X", "chart-EURUSD=X-2020-01-01-to-2020-01-03.json");
        MarketDataConnector md = yahoo("2020-01-06T12:00:00Z");

        FxRate r = md.fxRate("EUR", "USD", LocalDate.of(2020, 1, 2)).value().orElseThrow();

        assertThat(r.rate()).isEqualByComparingTo("1.122083"); // close 1.1220825910568237 at float32 precision
        assertThat(r.date()).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(r.source()).isEqualTo("yahoo:EURUSD=X");
    }

    @Test
    void unknownSymbolIsNoDataNotZero() {
        server.setDispatcher(routes(r -> status(404, "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\","
                + "\"description\":\"No data found, symbol may be delisted\"}}}")));
        MarketDataConnector md = yahoo("2020-11-09T12:00:00Z");

        Lookup<Quote> q = md.latestQuote("NOPE");

        assertThat(q.found()).isFalse();
        assertThat(q.attempts()).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(Attempt.Outcome.NO_DATA));
    }

    @Test
    void malformedChartFailsNamingProviderSymbolAndField() throws Exception {
        String body = yahooBody("chart-AAPL-2020-08-31-to-2020-11-07.json")
                .replaceFirst("\"close\":\\s*\\[\\s*129\\.0399932861328", "\"close\":[\"n/a\"");
        assertThat(body).contains("\"n/a\"");
        server.setDispatcher(routes(r -> json(body)));
        MarketDataConnector md = yahoo("2020-11-09T12:00:00Z");

        Lookup<PriceHistory> h = md.history("AAPL", LocalDate.of(2020, 8, 31), LocalDate.of(2020, 11, 7));

        assertThat(h.found()).isFalse();
        Attempt a = h.attempts().get(0);
        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.MALFORMED);
        assertThat(a.detail()).contains("yahoo").contains("AAPL").contains("close[0]").contains("n/a");

        Tree t = new Tree("yahoo", "GET /v8/finance/chart", "AAPL");
        assertThatThrownBy(() -> YahooProvider.parse(t, "AAPL", io.foliosync.connectors.api.json.Json.readTree(body)))
                .isInstanceOf(DataFetchException.class)
                .satisfies(e -> {
                    DataFetchException d = (DataFetchException) e;
                    assertThat(d.source()).contains("yahoo");
                    assertThat(d.record()).contains("AAPL");
                    assertThat(d.field()).hasValueSatisfying(f -> assertThat(f).contains("close"));
                });
    }

    @Test
    void pricesNeverComeBackAsDoubles() {
        serve("BTC-USD", "chart-BTC-USD-2020-01-01-to-2020-01-03.json");
        MarketDataConnector md = yahoo("2020-01-06T12:00:00Z");

        PriceHistory h = md.history("BTC-USD", LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 3))
                .value().orElseThrow();

        assertThat(h.bars()).hasSize(3);
        assertThat(h.bars()).allSatisfy(b -> assertThat(b.close()).isInstanceOf(BigDecimal.class)
                .satisfies(c -> assertThat(c.precision()).isLessThanOrEqualTo(7)));
    }
}
