package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorProvider;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MarketDataConnectorTest {
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, Object> chain(String primary, String... fallbacks) {
        Map<String, Object> s = section(primary, fallbacks);
        s.put(primary, provider(server));
        for (String f : fallbacks) {
            s.put(f, provider(server));
        }
        return s;
    }

    @Test
    void primary429HandsOverToTheSecondaryAndRecordsWhoAnswered() {
        server.setDispatcher(routes(r -> {
            String path = r.getUrl().encodedPath();
            if (path.startsWith("/v8/finance/chart/")) {
                return status(429, "Too Many Requests");
            }
            if (path.equals("/query")) {
                return json(resource("alphavantage/global-quote-MSFT.json"));
            }
            return null;
        }));
        MarketDataConnector md = connector(chain("yahoo", "alpha_vantage"), fixed("2018-10-08T12:00:00Z"));

        Lookup<Quote> q = md.latestQuote("MSFT");

        assertThat(q.provider()).contains("alpha_vantage");
        assertThat(q.value().orElseThrow().price()).isEqualByComparingTo("112.13");
        assertThat(q.attempts()).singleElement().satisfies(a -> {
            assertThat(a.provider()).isEqualTo("yahoo");
            assertThat(a.outcome()).isEqualTo(Attempt.Outcome.RATE_LIMITED);
        });
    }

    @Test
    void primaryWithoutDataHandsHistoryToTheFallback() {
        String chart = yahooBody("chart-AAPL-2020-08-31-to-2020-11-07.json");
        server.setDispatcher(routes(r -> {
            String path = r.getUrl().encodedPath();
            if (path.startsWith("/tiingo/daily/")) {
                return status(404, "{\"detail\":\"Error: Ticker 'AAPL' not found\"}");
            }
            return path.equals("/v8/finance/chart/AAPL") ? json(chart) : null;
        }));
        MarketDataConnector md = connector(chain("tiingo", "yahoo"), fixed("2020-11-09T12:00:00Z"));

        Lookup<PriceHistory> h = md.history("AAPL", LocalDate.of(2020, 9, 1), LocalDate.of(2020, 9, 30));

        assertThat(h.provider()).contains("yahoo");
        assertThat(h.attempts()).extracting(Attempt::provider, Attempt::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tiingo", Attempt.Outcome.NO_DATA));
    }

    @Test
    void serverErrorAtPrimaryIsUnavailableAndTheFallbackAnswers() {
        server.setDispatcher(routes(r -> r.getUrl().encodedPath().equals("/iex/")
                ? status(500, "oops") : r.getUrl().encodedPath().equals("/query")
                ? json(resource("alphavantage/global-quote-MSFT.json")) : null));
        MarketDataConnector md = connector(chain("tiingo", "alpha_vantage"), fixed("2018-10-08T12:00:00Z"));

        Lookup<Quote> q = md.latestQuote("MSFT");

        assertThat(q.provider()).contains("alpha_vantage");
        assertThat(q.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.UNAVAILABLE);
    }

    @Test
    void missingEverywhereStaysEmptyNeverZero() {
        server.setDispatcher(routes(r -> r.getUrl().encodedPath().equals("/query")
                ? json("{\"Global Quote\": {}}") : null));
        MarketDataConnector md = connector(chain("yahoo", "alpha_vantage"), fixed("2020-11-09T12:00:00Z"));

        Lookup<Quote> q = md.latestQuote("NOPE");

        assertThat(q.value()).isEmpty();
        assertThat(q.provider()).isEmpty();
        assertThat(q.attempts()).extracting(Attempt::provider).containsExactly("yahoo", "alpha_vantage");
        assertThat(q.explain()).contains("yahoo NO_DATA").contains("alpha_vantage NO_DATA");
    }

    @Test
    void cacheHitsDoNotReachTheWire() {
        String chart = yahooBody("chart-AAPL-2020-08-31-to-2020-11-07.json");
        server.setDispatcher(routes(r -> r.getUrl().encodedPath().equals("/v8/finance/chart/AAPL") ? json(chart)
                : r.getUrl().encodedPath().startsWith("/v8/finance/chart/")
                ? status(404, "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\"}}}") : null));
        MarketDataConnector md = connector(chain("yahoo"), fixed("2025-02-20T12:00:00Z"));

        md.latestQuotes(List.of("AAPL", "NOPE"));
        md.history("AAPL", LocalDate.of(2020, 8, 31), LocalDate.of(2020, 11, 7));
        int afterFirst = server.getRequestCount();
        assertThat(afterFirst).isEqualTo(3);

        assertThat(md.latestQuotes(List.of("AAPL", "NOPE")).get("AAPL").found()).isTrue();
        assertThat(md.latestQuote("NOPE").found()).as("no data is cached too").isFalse();
        assertThat(md.history("AAPL", LocalDate.of(2020, 8, 31), LocalDate.of(2020, 11, 7)).found()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(afterFirst);
    }

    @Test
    void dataMethodsBeforeAuthenticateFailSayingSo() {
        MarketDataConnector md = MarketDataConnector.fromConfig(new ConfigSection("market_data", chain("yahoo")),
                context(fixed("2020-01-01T00:00:00Z")));

        assertThatThrownBy(() -> md.latestQuote("AAPL")).isInstanceOf(DataFetchException.class)
                .hasMessageContaining("authenticate()");
        assertThat(md.metadata().type()).isEqualTo(ConnectorType.MARKET_DATA);
        assertThat(md.capabilities()).containsExactly(Capability.PRICES);
    }

    @Test
    void configurationNamesEveryProblemAtOnce() {
        Map<String, Object> s = section("tiingo", "bloomberg", "fred");
        s.put("base_currency", "EURO");
        s.put("stale_after", "soon");

        assertThatThrownBy(() -> MarketDataConnector.fromConfig(new ConfigSection("market_data", s),
                context(fixed("2020-01-01T00:00:00Z"))))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).anySatisfy(p ->
                                assertThat(p).contains("market_data.tiingo.api_key"))
                        .anySatisfy(p -> assertThat(p).contains("market_data.fred.api_key"))
                        .anySatisfy(p -> assertThat(p).contains("bloomberg"))
                        .anySatisfy(p -> assertThat(p).contains("market_data.base_currency"))
                        .anySatisfy(p -> assertThat(p).contains("market_data.stale_after")));
    }

    @Test
    void serviceLoaderFindsTheProviderForTheMarketDataSection() {
        ConnectorProvider p = ServiceLoader.load(ConnectorProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.configSection().equals("market_data")).findFirst().orElseThrow();

        assertThat(p.create(new ConfigSection("market_data", chain("yahoo")), context(fixed("2020-01-01T00:00:00Z"))))
                .singleElement().satisfies(c -> assertThat(c.metadata().name()).isEqualTo("market_data"));
        Map<String, Object> off = chain("yahoo");
        off.put("enabled", false);
        assertThat(p.create(new ConfigSection("market_data", off), context(fixed("2020-01-01T00:00:00Z")))).isEmpty();
    }

    @Test
    void healthCheckReportsWhichProviderPricedTheHealthSymbol() {
        server.setDispatcher(routes(r -> r.getUrl().encodedPath().equals("/query")
                ? json(resource("alphavantage/global-quote-MSFT.json")) : null));
        Map<String, Object> s = chain("alpha_vantage");
        s.put("health_symbol", "MSFT");
        MarketDataConnector md = connector(s, fixed("2018-10-08T12:00:00Z"));

        assertThat(md.healthCheck().healthy()).isTrue();
        assertThat(md.healthCheck().details()).containsEntry("provider", "alpha_vantage");
    }
}
