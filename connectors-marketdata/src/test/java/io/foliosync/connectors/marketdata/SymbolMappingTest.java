package io.foliosync.connectors.marketdata;

import static io.foliosync.connectors.marketdata.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.config.ConfigSection;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SymbolMappingTest {
    private static final String NOT_FOUND = "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\"}}}";
    private final MockWebServer server = new MockWebServer();
    /** Every path (and for Tiingo IEX the tickers) the server was asked for, in order. */
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server.start();
        String btc = yahooBody("chart-BTC-USD-2020-01-01-to-2020-01-03.json");
        String eurusd = yahooBody("chart-EURUSD=X-2020-01-01-to-2020-01-03.json");
        server.setDispatcher(routes(r -> {
            String path = r.getUrl().encodedPath();
            if (path.equals("/iex/")) {
                String tickers = r.getUrl().queryParameter("tickers");
                asked.add(path + "?tickers=" + tickers);
                return json(TiingoProviderTest.iexRows(tickers.split(",")));
            }
            asked.add(path);
            return switch (path) {
                case "/v8/finance/chart/BTC-USD" -> json(btc);
                case "/v8/finance/chart/EURUSD=X" -> json(eurusd);
                default -> path.startsWith("/v8/") ? status(404, NOT_FOUND) : null;
            };
        }));
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

    private static Holding kraken(String symbol, String qty, String currency) {
        return Holding.builder().symbol(symbol).quantity(new BigDecimal(qty)).currency(currency)
                .accountId("kraken").assetClass(AssetClass.CRYPTO).source("kraken").attribute("raw_asset", "XXBT")
                .build();
    }

    private static Instrument stock(String symbol, String currency, String exchange) {
        return new Instrument(symbol, AssetClass.STOCK, Optional.ofNullable(currency), Optional.ofNullable(exchange));
    }

    // ---- the automatic rules, provider by provider ----

    @Test
    void yahooRulesMapCryptoClassSharesForexAndListingExchanges() {
        assertThat(SymbolRules.yahoo(Instrument.of("BTC", AssetClass.CRYPTO, "USD"))).contains("BTC-USD");
        assertThat(SymbolRules.yahoo(Instrument.of("ETH", AssetClass.CRYPTO, "EUR"))).contains("ETH-EUR");
        assertThat(SymbolRules.yahoo(Instrument.of("BTC", AssetClass.CRYPTO, "USDT")))
                .as("a stablecoin quote currency is priced in USD").contains("BTC-USD");
        assertThat(SymbolRules.yahoo(Instrument.of("BTC/EUR", AssetClass.CRYPTO, "EUR"))).contains("BTC-EUR");
        assertThat(SymbolRules.yahoo(Instrument.of("BRK.B", AssetClass.STOCK, "USD"))).contains("BRK-B");
        assertThat(SymbolRules.yahoo(stock("BRK B", "USD", "NYSE"))).as("IBKR's spelling").contains("BRK-B");
        assertThat(SymbolRules.yahoo(Instrument.of("BRK/B"))).contains("BRK-B");
        assertThat(SymbolRules.yahoo(Instrument.of("BRK.B"))).as("currency unknown, B is no Yahoo suffix")
                .contains("BRK-B");
        assertThat(SymbolRules.yahoo(Instrument.of("EURUSD", AssetClass.FOREX, "USD"))).contains("EURUSD=X");
        assertThat(SymbolRules.yahoo(Instrument.of("EUR.USD", AssetClass.FOREX, "USD"))).contains("EURUSD=X");
        assertThat(SymbolRules.yahoo(stock("VOD", "GBP", "LSE"))).contains("VOD.L");
        assertThat(SymbolRules.yahoo(stock("BP.", "GBP", "LSE"))).as("IBKR's trailing dot").contains("BP.L");
        assertThat(SymbolRules.yahoo(stock("BT.A", "GBP", "XLON"))).contains("BT-A.L");
        assertThat(SymbolRules.yahoo(stock("SAP", "EUR", "IBIS"))).contains("SAP.DE");
        assertThat(SymbolRules.yahoo(stock("700", "HKD", "SEHK"))).contains("0700.HK");
        assertThat(SymbolRules.yahoo(stock("VOD.L", "GBP", "LSE"))).as("already suffixed").contains("VOD.L");
        assertThat(SymbolRules.yahoo(Instrument.of("VOD.L"))).as("L may be London: left alone").contains("VOD.L");
        assertThat(SymbolRules.yahoo(stock("WSU.DE", "EUR", null))).contains("WSU.DE");
        assertThat(SymbolRules.yahoo(stock("AAPL", "USD", "NASDAQ"))).contains("AAPL");
    }

    @Test
    void tiingoRulesLowerCaseClassSharesAndHandOverWhatItCannotPriceInUsd() {
        assertThat(SymbolRules.tiingo(Instrument.of("BRK.B", AssetClass.STOCK, "USD"))).contains("brk-b");
        assertThat(SymbolRules.tiingo(stock("BRK B", "USD", "NYSE"))).contains("brk-b");
        assertThat(SymbolRules.tiingo(Instrument.of("AAPL"))).contains("AAPL");
        assertThat(SymbolRules.tiingo(Instrument.of("BTC", AssetClass.CRYPTO, "USD"))).isEmpty();
        assertThat(SymbolRules.tiingo(Instrument.of("EURUSD", AssetClass.FOREX, "USD"))).isEmpty();
        assertThat(SymbolRules.tiingo(stock("VOD", "GBP", "LSE"))).as("the US ADR VOD would be priced")
                .isEmpty();
        assertThat(SymbolRules.tiingo(stock("VOD", null, "LSE"))).isEmpty();
        assertThat(SymbolRules.alphaVantage(Instrument.of("BTC", AssetClass.CRYPTO, "USD"))).isEmpty();
        assertThat(SymbolRules.alphaVantage(Instrument.of("MSFT", AssetClass.STOCK, "USD"))).contains("MSFT");
    }

    // ---- over the wire ----

    @Test
    void valuatorValuesAKrakenBtcHoldingThroughYahoosBtcUsdChart() {
        MarketDataConnector md = connector(chain("tiingo", "yahoo"), fixed("2025-02-20T12:00:00Z"));
        Holding btc = kraken("BTC", "0.5", "USD");

        Valuation v = Valuator.builder(md).baseCurrency("USD").clock(fixed("2025-02-20T12:00:00Z")).build()
                .value(List.of(btc));

        ValuedHolding h = v.holdings().get(0);
        assertThat(h.holding().symbol()).isEqualTo("BTC");
        assertThat(h.price()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("97208.17"));
        assertThat(h.priceCurrency()).isEqualTo("USD");
        assertThat(h.priceSource()).contains("yahoo");
        assertThat(h.providerSymbol()).contains("BTC-USD");
        assertThat(h.baseValue()).hasValueSatisfying(b -> assertThat(b).isEqualByComparingTo("48604.085"));
        assertThat(h.stale()).isFalse();
        assertThat(asked).as("Tiingo does not serve crypto: no IEX request").containsExactly(
                "/v8/finance/chart/BTC-USD");

        Lookup<Quote> q = md.latestQuote(Instrument.of(btc));
        assertThat(q.value().orElseThrow().symbol()).isEqualTo("BTC");
        assertThat(q.attempts()).singleElement().satisfies(a -> {
            assertThat(a.provider()).isEqualTo("tiingo");
            assertThat(a.outcome()).isEqualTo(Attempt.Outcome.UNSUPPORTED);
        });
    }

    @Test
    void cryptoHeldInEuroAsksYahoosEuroPair() {
        MarketDataConnector md = connector(chain("yahoo"), fixed("2025-02-20T12:00:00Z"));

        Lookup<Quote> q = md.latestQuote(Instrument.of(kraken("BTC", "1", "EUR")));

        assertThat(q.found()).isFalse();
        assertThat(asked).containsExactly("/v8/finance/chart/BTC-EUR");
        assertThat(q.explain()).contains("BTC-EUR").contains("asked for BTC");
    }

    @Test
    void classSharesReachTiingoAsLowerCaseHyphenAndAnswersKeepTheHoldingsSymbol() {
        MarketDataConnector md = connector(chain("tiingo"), fixed("2020-11-06T22:00:00Z"));

        Map<Instrument, Lookup<Quote>> q = md.quotes(List.of(Instrument.of("BRK.B", AssetClass.STOCK, "USD"),
                Instrument.of("AAPL", AssetClass.STOCK, "USD")));

        assertThat(asked).containsExactly("/iex/?tickers=brk-b,aapl");
        Quote brk = q.get(Instrument.of("BRK.B", AssetClass.STOCK, "USD")).value().orElseThrow();
        assertThat(brk.symbol()).isEqualTo("BRK.B");
        assertThat(brk.providerSymbol()).isEqualTo("brk-b");
        assertThat(brk.price()).isEqualByComparingTo("10.25");
    }

    @Test
    void forexAndCryptoHistoriesAreAskedUnderYahooSymbolsAndReportedUnderOurs() {
        MarketDataConnector md = connector(chain("yahoo"), fixed("2025-02-20T12:00:00Z"));

        PriceHistory btc = md.history(Instrument.of("BTC", AssetClass.CRYPTO, "USD"), LocalDate.of(2020, 1, 1),
                LocalDate.of(2020, 1, 3)).value().orElseThrow();
        PriceHistory eurusd = md.history(Instrument.of("EUR.USD", AssetClass.FOREX, "USD"),
                LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 3)).value().orElseThrow();

        assertThat(btc.symbol()).isEqualTo("BTC");
        assertThat(btc.providerSymbol()).isEqualTo("BTC-USD");
        assertThat(btc.bars()).hasSize(3);
        assertThat(eurusd.symbol()).isEqualTo("EUR.USD");
        assertThat(eurusd.providerSymbol()).isEqualTo("EURUSD=X");
        assertThat(asked).containsExactly("/v8/finance/chart/BTC-USD", "/v8/finance/chart/EURUSD=X");
    }

    @Test
    void configuredSymbolMapWinsOverTheRules() {
        Map<String, Object> s = chain("tiingo", "yahoo");
        ((Map<String, Object>) s.get("yahoo")).put("symbol_map", Map.of("btc", "BTC-USD"));
        Map<String, Object> tiingoMap = new LinkedHashMap<>();
        tiingoMap.put("AAPL", "");
        ((Map<String, Object>) s.get("tiingo")).put("symbol_map", tiingoMap);
        MarketDataConnector md = connector(s, fixed("2025-02-20T12:00:00Z"));
        Instrument btcInEur = Instrument.of("BTC", AssetClass.CRYPTO, "EUR");

        assertThat(md.providerSymbol("yahoo", btcInEur)).as("the rule alone would say BTC-EUR").contains("BTC-USD");
        assertThat(md.providerSymbol("tiingo", Instrument.of("AAPL"))).as("mapped to nothing").isEmpty();
        assertThat(md.providerSymbol("tiingo", Instrument.of("MSFT"))).contains("MSFT");

        Lookup<Quote> q = md.latestQuote(btcInEur);
        assertThat(q.value().orElseThrow().price()).isEqualByComparingTo("97208.17");
        assertThat(q.value().orElseThrow().currency()).contains("USD");
        Lookup<Quote> aapl = md.latestQuote("AAPL");
        assertThat(aapl.attempts()).first().satisfies(a -> assertThat(a.outcome())
                .isEqualTo(Attempt.Outcome.UNSUPPORTED));
        assertThat(asked).containsExactly("/v8/finance/chart/BTC-USD", "/v8/finance/chart/AAPL")
                .doesNotContain("/iex/?tickers=aapl");
    }

    @Test
    void aSymbolMapThatIsNotAMapIsAConfigurationProblemNamingTheKey() {
        Map<String, Object> s = chain("yahoo");
        ((Map<String, Object>) s.get("yahoo")).put("symbol_map", List.of("BTC", "BTC-USD"));

        assertThatThrownBy(() -> MarketDataConnector.fromConfig(new ConfigSection("market_data", s),
                context(fixed("2020-01-01T00:00:00Z"))))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).anySatisfy(p ->
                        assertThat(p).contains("market_data.yahoo.symbol_map").contains("expected a map")));
    }

    @Test
    void twoHoldingsOfOneSymbolInDifferentCurrenciesAreAskedUnderTheirOwnPairs() {
        MarketDataConnector md = connector(chain("yahoo"), fixed("2025-02-20T12:00:00Z"));
        List<Holding> holdings = new ArrayList<>(List.of(kraken("BTC", "1", "USD"), kraken("BTC", "2", "EUR")));

        Valuation v = Valuator.builder(md).baseCurrency("USD").clock(fixed("2025-02-20T12:00:00Z")).build()
                .value(holdings);

        assertThat(v.holdings().get(0).valued()).isTrue();
        assertThat(v.holdings().get(1).valued()).as("no BTC-EUR chart is served").isFalse();
        assertThat(asked).contains("/v8/finance/chart/BTC-USD", "/v8/finance/chart/BTC-EUR");
    }
}
