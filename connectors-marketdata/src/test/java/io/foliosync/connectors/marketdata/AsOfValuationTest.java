package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.FxRate;
import io.foliosync.connectors.api.Holding;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Valuation as of a date, from Yahoo's recorded BTC-USD and EURUSD=X charts (daily bars 2020-01-01..03; their
 * chart meta holds a 2025 price, which a valuation as of 2020 must not use).
 */
class AsOfValuationTest {
    private static final String NOW = "2025-02-20T12:00:00Z";
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
        String btc = yahooBody("chart-BTC-USD-2020-01-01-to-2020-01-03.json");
        String eurusd = yahooBody("chart-EURUSD=X-2020-01-01-to-2020-01-03.json");
        server.setDispatcher(routes(r -> switch (r.getUrl().encodedPath()) {
            case "/v8/finance/chart/BTC-USD" -> json(btc);
            case "/v8/finance/chart/EURUSD=X" -> json(eurusd);
            default -> r.getUrl().encodedPath().startsWith("/v8/")
                    ? status(404, "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\"}}}") : null;
        }));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Valuator valuator(String base) {
        Map<String, Object> s = section("yahoo");
        s.put("yahoo", provider(server));
        s.put("stale_after", "4d");
        MarketDataConnector md = connector(s, fixed(NOW));
        return Valuator.builder(md).baseCurrency(base).clock(fixed(NOW)).build();
    }

    private static Holding btc(String qty) {
        return Holding.builder().symbol("BTC").quantity(new BigDecimal(qty)).currency("USD").accountId("kraken")
                .assetClass(AssetClass.CRYPTO).source("kraken").build();
    }

    @Test
    void valuesAtThatDaysCloseAndThatDaysFxRate() {
        Valuation v = valuator("EUR").value(List.of(btc("0.5")), LocalDate.of(2020, 1, 2));

        assertThat(v.asOf()).contains(LocalDate.of(2020, 1, 2));
        ValuedHolding h = v.holdings().get(0);
        assertThat(h.holding().symbol()).isEqualTo("BTC");
        assertThat(h.providerSymbol()).contains("BTC-USD");
        assertThat(h.priceSource()).contains("yahoo");
        assertThat(h.price()).as("the 2020-01-02 close, not the 2025 chart meta price 97208.17")
                .hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("6985.47"));
        assertThat(h.priceDate()).contains(LocalDate.of(2020, 1, 2));
        FxRate rate = h.fxRate().orElseThrow();
        assertThat(rate.date()).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(rate.source()).isEqualTo("yahoo:EURUSD=X");
        assertThat(rate.rate()).isEqualByComparingTo(BigDecimal.ONE.divide(new BigDecimal("1.122083"),
                FxRate.PRECISION));
        assertThat(h.baseValue()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo(
                new BigDecimal("3492.735").multiply(rate.rate())));
        assertThat(h.stale()).as("fresh relative to asOf, though five years old").isFalse();
    }

    @Test
    void aDayWithoutABarTakesTheLastCloseBeforeIt() {
        ValuedHolding h = valuator("USD").value(List.of(btc("1")), LocalDate.of(2020, 1, 5)).holdings().get(0);

        assertThat(h.priceDate()).contains(LocalDate.of(2020, 1, 3));
        assertThat(h.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("7344.884"));
        assertThat(h.stale()).isFalse();
    }

    @Test
    void staleIsMeasuredFromAsOfNotFromNow() {
        ValuedHolding h = valuator("EUR").value(List.of(btc("1")), LocalDate.of(2020, 1, 10)).holdings().get(0);

        assertThat(h.priceDate()).contains(LocalDate.of(2020, 1, 3));
        assertThat(h.stale()).isTrue();
        assertThat(h.problems()).anySatisfy(p -> assertThat(p).contains("2020-01-03")
                .contains("older than 4 days before 2020-01-10"));
        assertThat(h.problems()).as("the EUR rate of 2020-01-03 is 7 days old on 2020-01-10")
                .anySatisfy(p -> assertThat(p).contains("USD→EUR rate"));
    }

    @Test
    void cashIsConvertedAtTheRateForAsOf() {
        Holding usd = Holding.builder().symbol("USD").quantity(new BigDecimal("100")).currency("USD")
                .accountId("kraken").assetClass(AssetClass.CASH).source("kraken").build();

        ValuedHolding h = valuator("EUR").value(List.of(usd), LocalDate.of(2020, 1, 3)).holdings().get(0);

        assertThat(h.priceDate()).contains(LocalDate.of(2020, 1, 3));
        assertThat(h.fxRate().orElseThrow().date()).isEqualTo(LocalDate.of(2020, 1, 3));
        assertThat(h.baseValue()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo(
                new BigDecimal("100").multiply(BigDecimal.ONE.divide(new BigDecimal("1.117144"), FxRate.PRECISION))));
    }

    @Test
    void noBarInTheWindowLeavesTheHoldingUnvaluedAndItsOwnPriceUnused() {
        Holding priced = btc("1").toBuilder().currentPrice(new BigDecimal("90000")).build();

        Valuation v = valuator("USD").value(List.of(priced), LocalDate.of(2020, 3, 1));

        ValuedHolding h = v.holdings().get(0);
        assertThat(h.valued()).isFalse();
        assertThat(h.price()).isEmpty();
        assertThat(h.problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("no close for BTC on or before 2020-03-01").contains("yahoo NO_DATA"));
        assertThat(v.complete()).isFalse();
    }

    @Test
    void asOfAfterTodayIsRejected() {
        assertThatThrownBy(() -> valuator("USD").value(List.of(btc("1")), LocalDate.of(2025, 2, 21)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after today");
    }
}
