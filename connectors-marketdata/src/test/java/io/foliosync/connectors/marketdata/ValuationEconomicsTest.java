package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.Holding;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a holding is worth: its contract terms, which of its prices is used (the freshest), and what a total
 * leaves out. Yahoo and FRED are served on loopback from their recorded layouts.
 */
class ValuationEconomicsTest {
    private static final String NOW = "2025-02-20T12:00:00Z";

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
        serveAaplAndFred(server, Map.of("DEXUSEU", "1.0436", "DEXUSUK", "1.2600"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MarketDataConnector md() {
        return yahooAndFred(server, fixed(NOW));
    }

    private static Holding.Builder holding(String symbol, String qty, String currency, AssetClass cls) {
        return Holding.builder().symbol(symbol).quantity(new BigDecimal(qty)).currency(currency).accountId("A1")
                .assetClass(cls).source("schwab");
    }

    @Test
    void aShortOptionIsWorthItsPremiumTimesTheContractMultiplier() {
        // Schwab's CSV: short 1 SMPL call at 1.25 a share; a contract is 100 shares.
        Holding option = holding("SMPL 04/17/2025 100.00 C", "-1", "USD", AssetClass.OPTION)
                .currentPrice(new BigDecimal("1.25")).priceAsOf(Instant.parse(NOW)).build();

        ValuedHolding v = md().valuator().value(List.of(option)).holdings().get(0);

        assertThat(v.terms()).isEqualTo(ContractTerms.US_EQUITY_OPTION);
        assertThat(v.marketValue()).hasValueSatisfying(m -> assertThat(m).isEqualByComparingTo("-125"));
        assertThat(v.baseValue()).hasValueSatisfying(m -> assertThat(m).isEqualByComparingTo("-125"));
    }

    @Test
    void aStatedMultiplierWinsOverTheAssetClassDefault() {
        Holding esPut = holding("/ESH25_P5050", "2", "USD", AssetClass.OPTION).currentPrice(new BigDecimal("21"))
                .priceAsOf(Instant.parse(NOW)).terms(ContractTerms.multiplier(new BigDecimal("50"))).build();

        ValuedHolding v = md().valuator().value(List.of(esPut)).holdings().get(0);

        assertThat(v.baseValue()).hasValueSatisfying(m -> assertThat(m).isEqualByComparingTo("2100"));
    }

    @Test
    void aBondIsPricedInPercentOfItsFaceValue() {
        Holding bill = holding("B 03/27/25", "10000", "USD", AssetClass.BOND).currentPrice(new BigDecimal("98.50"))
                .priceAsOf(Instant.parse(NOW)).build();

        ValuedHolding v = md().valuator().value(List.of(bill)).holdings().get(0);

        assertThat(v.baseValue()).hasValueSatisfying(m -> assertThat(m).isEqualByComparingTo("9850"));
    }

    @Test
    void theSourcesPriceAtTheSyncWinsOverAnOlderQuote() {
        // AAPL's recorded quote is of 2025-02-19; the broker reported 250.00 at a sync an hour ago.
        Holding aapl = holding("AAPL", "10", "USD", AssetClass.STOCK).source("ibkr")
                .currentPrice(new BigDecimal("250.00")).priceAsOf(Instant.parse("2025-02-20T11:00:00Z")).build();

        ValuedHolding v = md().valuator().value(List.of(aapl)).holdings().get(0);

        assertThat(v.priceOrigin()).isEqualTo(PriceOrigin.SOURCE);
        assertThat(v.priceSource()).contains("holding:ibkr");
        assertThat(v.priceAsOf()).contains(Instant.parse("2025-02-20T11:00:00Z"));
        assertThat(v.baseValue()).hasValueSatisfying(m -> assertThat(m).isEqualByComparingTo("2500"));
        assertThat(v.stale()).isFalse();
        assertThat(v.priceAge(Instant.parse(NOW))).hasValueSatisfying(a -> assertThat(a.toHours()).isEqualTo(1));
    }

    @Test
    void aQuoteNewerThanTheSourcesPriceWins() {
        Holding aapl = holding("AAPL", "10", "USD", AssetClass.STOCK).source("ibkr")
                .currentPrice(new BigDecimal("200.00")).priceAsOf(Instant.parse("2025-01-02T21:00:00Z")).build();

        ValuedHolding v = md().valuator().value(List.of(aapl)).holdings().get(0);

        assertThat(v.priceOrigin()).isEqualTo(PriceOrigin.MARKET_DATA);
        assertThat(v.priceSource()).contains("yahoo");
        assertThat(v.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("244.87"));
        assertThat(v.priceDate()).contains(LocalDate.of(2025, 2, 19));
    }

    @Test
    void withoutMarketDataHoldingsAreValuedAtTheSourcesPricesAndOtherCurrenciesAreListed() {
        Valuation v = Valuator.sourcePricesOnly("USD").clock(fixed(NOW)).build().value(List.of(
                holding("BTC", "2", "USD", AssetClass.CRYPTO).currentPrice(new BigDecimal("60000"))
                        .priceAsOf(Instant.parse(NOW)).build(),
                holding("SAP", "15", "EUR", AssetClass.STOCK).currentPrice(new BigDecimal("207.30"))
                        .priceAsOf(Instant.parse(NOW)).build(),
                holding("EUR", "-120.5", "EUR", AssetClass.CASH).build(),
                holding("XTZ", "0.5", "USD", AssetClass.CRYPTO).build()));

        assertThat(v.sourcePricesOnly()).isTrue();
        assertThat(v.total()).isEqualByComparingTo("120000");
        assertThat(v.exclusions()).extracting(e -> e.holding().holding().symbol() + ":" + e.reason())
                .containsExactly("SAP:NO_FX_RATE", "EUR:NO_FX_RATE", "XTZ:NO_PRICE");
        assertThat(v.excludedValueByCurrency()).containsOnlyKeys("EUR");
        assertThat(v.excludedValueByCurrency().get("EUR")).isEqualByComparingTo("2989.0");
        assertThat(v.exclusionSummary()).isEqualTo("3 holdings left out: 2 worth 2,989.00 EUR (no rate to USD: "
                + "market data is not configured); 1 without a price (XTZ)");
        assertThatThrownBy(() -> Valuator.sourcePricesOnly("USD").build().value(List.of(), LocalDate.of(2025, 1, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("market data");
    }

    @Test
    void cashInEveryCurrencyIsConvertedDirectlyOrThroughUsd() {
        Valuator eur = Valuator.builder(md()).baseCurrency("EUR").clock(fixed(NOW)).build();

        Valuation v = eur.value(List.of(holding("EUR", "100", "EUR", AssetClass.CASH).build(),
                holding("USD", "104.36", "USD", AssetClass.CASH).build(),
                holding("GBP", "100", "GBP", AssetClass.CASH).build(),
                holding("CHF", "100", "CHF", AssetClass.CASH).build()));

        assertThat(v.holdings().get(0).baseValue()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("100"));
        // USD → EUR is FRED's USD-per-EUR rate inverted (to 16 digits)
        assertThat(v.holdings().get(1).baseValue()).hasValueSatisfying(b ->
                assertThat(b.setScale(8, java.math.RoundingMode.HALF_EVEN)).isEqualByComparingTo("100"));
        // GBP → USD → EUR: 100 × 1.26 / 1.0436
        ValuedHolding gbp = v.holdings().get(2);
        assertThat(gbp.fxRate()).hasValueSatisfying(r -> assertThat(r.triangulated()).isTrue());
        assertThat(gbp.baseValue()).hasValueSatisfying(b -> assertThat(b.setScale(2, java.math.RoundingMode.HALF_EVEN))
                .isEqualByComparingTo("120.74"));
        assertThat(v.exclusions()).singleElement().satisfies(e -> {
            assertThat(e.holding().holding().symbol()).isEqualTo("CHF");
            assertThat(e.reason()).isEqualTo(Exclusion.Reason.NO_FX_RATE);
        });
        assertThat(v.exclusionSummary()).startsWith("1 holding left out: 1 worth 100.00 CHF (no rate to EUR)");
    }

    @Test
    void theRateTheSourceReportedWinsWhenItIsTheFresherOne() {
        // IBKR's ledger: EUR cash -120.50 at 1.0932 USD per EUR, reported at the sync an hour ago; FRED's DEXUSEU
        // (1.0436) is of the day before
        Holding eurCash = holding("EUR", "-120.50", "EUR", AssetClass.CASH).source("ibkr")
                .currentPrice(BigDecimal.ONE).priceAsOf(Instant.parse("2025-02-20T11:00:00Z"))
                .reportedFxRate("USD", new BigDecimal("1.0932")).build();
        ValuedHolding fresh = md().valuator().value(List.of(eurCash)).holdings().get(0);
        assertThat(fresh.fxRate()).hasValueSatisfying(r -> assertThat(r.source()).isEqualTo("holding:ibkr"));
        assertThat(fresh.baseValue()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("-131.7306"));

        Holding older = eurCash.toBuilder().priceAsOf(Instant.parse("2025-01-02T21:00:00Z")).build();
        ValuedHolding market = md().valuator().value(List.of(older)).holdings().get(0);
        assertThat(market.fxRate()).hasValueSatisfying(r -> assertThat(r.source()).isEqualTo("fred:DEXUSEU"));

        // without market data the source's rate is the only one, and EUR cash is not left out
        Valuation offline = Valuator.sourcePricesOnly("USD").clock(fixed(NOW)).build().value(List.of(eurCash));
        assertThat(offline.exclusions()).isEmpty();
        assertThat(offline.total()).isEqualByComparingTo("-131.7306");
        // a rate to another currency than the base is not used
        Valuation inGbp = Valuator.sourcePricesOnly("GBP").clock(fixed(NOW)).build().value(List.of(eurCash));
        assertThat(inGbp.exclusions()).extracting(Exclusion::reason).containsExactly(Exclusion.Reason.NO_FX_RATE);
    }
}
