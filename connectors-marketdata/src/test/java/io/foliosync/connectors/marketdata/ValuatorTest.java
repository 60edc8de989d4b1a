package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.FxRate;
import io.foliosync.connectors.api.Holding;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ValuatorTest {
    private final MockWebServer server = new MockWebServer();

    /** FRED's observation layout, one DEXUSEU value. */
    private static final String DEXUSEU_2025_02_19 = "{\"realtime_start\":\"2025-02-20\",\"realtime_end\":\"2025-02-20\","
            + "\"count\":1,\"offset\":0,\"limit\":100000,\"observations\":[{\"realtime_start\":\"2025-02-20\","
            + "\"realtime_end\":\"2025-02-20\",\"date\":\"2025-02-19\",\"value\":\"1.0436\"}]}";

    @BeforeEach
    void start() throws Exception {
        server.start();
        String aapl = yahooBody("chart-AAPL-2020-08-31-to-2020-11-07.json");
        String wsu = yahooBody("chart-WSU.DE-2023-08-04-to-2023-08-09.json");
        server.setDispatcher(routes(r -> switch (r.getUrl().encodedPath()) {
            case "/v8/finance/chart/AAPL" -> json(aapl);
            case "/v8/finance/chart/WSU.DE" -> json(wsu);
            case "/fred/series/observations" -> "DEXUSEU".equals(r.getUrl().queryParameter("series_id"))
                    ? json(DEXUSEU_2025_02_19) : null;
            default -> r.getUrl().encodedPath().startsWith("/v8/")
                    ? status(404, "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\"}}}") : null;
        }));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MarketDataConnector md(String now) {
        Map<String, Object> s = section("yahoo", "fred");
        s.put("yahoo", provider(server));
        s.put("fred", provider(server));
        s.put("fx_providers", List.of("fred"));
        s.put("stale_after", "4d");
        return connector(s, fixed(now));
    }

    private static Holding holding(String symbol, String qty, String currency, AssetClass cls) {
        return Holding.builder().symbol(symbol).quantity(new BigDecimal(qty)).currency(currency).accountId("U1")
                .assetClass(cls).source("ibkr").build();
    }

    @Test
    void valuesHoldingsInEurWithPriceRateDatesAndSources() {
        MarketDataConnector md = md("2025-02-20T12:00:00Z");
        Valuator valuator = Valuator.builder(md).baseCurrency("EUR").clock(fixed("2025-02-20T12:00:00Z")).build();

        Valuation v = valuator.value(List.of(
                holding("AAPL", "10", "USD", AssetClass.STOCK),
                holding("USD", "1043.6", "USD", AssetClass.CASH)));

        assertThat(v.baseCurrency()).isEqualTo("EUR");
        ValuedHolding aapl = v.holdings().get(0);
        assertThat(aapl.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("244.87"));
        assertThat(aapl.priceSource()).contains("yahoo");
        assertThat(aapl.priceDate()).contains(LocalDate.of(2025, 2, 19));
        assertThat(aapl.marketValue()).hasValueSatisfying(m -> assertThat(m).isEqualByComparingTo("2448.70"));
        FxRate rate = aapl.fxRate().orElseThrow();
        assertThat(rate.source()).isEqualTo("fred:DEXUSEU");
        assertThat(rate.date()).isEqualTo(LocalDate.of(2025, 2, 19));
        assertThat(aapl.baseValue()).hasValueSatisfying(b ->
                assertThat(b).isEqualByComparingTo(new BigDecimal("2448.70").multiply(rate.rate())));
        assertThat(aapl.stale()).isFalse();

        ValuedHolding cash = v.holdings().get(1);
        assertThat(cash.priceSource()).contains("cash");
        assertThat(cash.baseValue()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo(
                new BigDecimal("1043.6").multiply(rate.rate())));
        assertThat(v.complete()).isTrue();
        assertThat(v.total()).isEqualByComparingTo(aapl.baseValue().get().add(cash.baseValue().get()));
    }

    @Test
    void pricesOlderThanStaleAfterAreFlagged() {
        MarketDataConnector md = md("2025-03-10T12:00:00Z");

        Valuation v = md.valuator().value(List.of(holding("WSU.DE", "3", "EUR", AssetClass.STOCK)));

        ValuedHolding h = v.holdings().get(0);
        assertThat(h.priceCurrency()).isEqualTo("EUR");
        assertThat(h.stale()).isTrue();
        assertThat(h.problems()).anySatisfy(p -> assertThat(p).contains("older than 4 days"));
        assertThat(v.stale()).containsExactly(h);
    }

    @Test
    void freshPriceIsNotStaleAndStaleAgeIsConfigurable() {
        MarketDataConnector md = md("2025-02-20T12:00:00Z");
        ValuedHolding fresh = md.valuator().value(List.of(holding("AAPL", "1", "USD", AssetClass.STOCK)))
                .holdings().get(0);
        assertThat(fresh.stale()).isFalse();

        ValuedHolding strict = Valuator.builder(md).staleAfter(Duration.ofHours(1))
                .clock(fixed("2025-02-20T12:00:00Z")).build()
                .value(List.of(holding("AAPL", "1", "USD", AssetClass.STOCK))).holdings().get(0);
        assertThat(strict.stale()).isTrue();
    }

    @Test
    void unpricedHoldingStaysUnvaluedAndOutOfTheTotal() {
        MarketDataConnector md = md("2025-02-20T12:00:00Z");

        Valuation v = md.valuator().value(List.of(holding("NOPE", "5", "USD", AssetClass.STOCK),
                holding("USD", "10", "USD", AssetClass.CASH)));

        ValuedHolding nope = v.holdings().get(0);
        assertThat(nope.price()).isEmpty();
        assertThat(nope.baseValue()).isEmpty();
        assertThat(nope.problems()).singleElement().satisfies(p -> assertThat(p).contains("NOPE").contains("NO_DATA"));
        assertThat(v.complete()).isFalse();
        assertThat(v.total()).isEqualByComparingTo("10");
    }

    @Test
    void holdingsOwnPriceIsUsedWhenNoProviderPricesItAndFlaggedStale() {
        MarketDataConnector md = md("2025-02-20T12:00:00Z");
        Holding h = holding("NOPE", "5", "USD", AssetClass.STOCK).toBuilder().currentPrice(new BigDecimal("2"))
                .build();

        ValuedHolding v = md.valuator().value(List.of(h)).holdings().get(0);

        assertThat(v.priceSource()).contains("holding:ibkr");
        assertThat(v.priceDate()).isEmpty();
        assertThat(v.stale()).isTrue();
        assertThat(v.baseValue()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("10"));
    }

    @Test
    void missingFxRateLeavesTheHoldingUnvaluedNamingThePair() {
        MarketDataConnector md = md("2025-02-20T12:00:00Z");

        ValuedHolding v = Valuator.builder(md).baseCurrency("CHF").clock(fixed("2025-02-20T12:00:00Z")).build()
                .value(List.of(holding("AAPL", "1", "USD", AssetClass.STOCK))).holdings().get(0);

        assertThat(v.price()).isPresent();
        assertThat(v.baseValue()).isEmpty();
        assertThat(v.problems()).anySatisfy(p -> assertThat(p).contains("USD→CHF"));
    }
}
