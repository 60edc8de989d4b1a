package io.foliosync.examples.valuation;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.marketdata.DailyBar;
import io.foliosync.connectors.marketdata.Instrument;
import io.foliosync.connectors.marketdata.Lookup;
import io.foliosync.connectors.marketdata.MarketDataConnector;
import io.foliosync.connectors.marketdata.PriceHistory;
import io.foliosync.connectors.marketdata.ValuedHolding;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.history.DailyPrices;
import io.foliosync.imports.history.ValueHistory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The value over time as {@code value --history} and the console's dashboard show it: the history of
 * {@link FolioSync#valueHistory()}, priced through the configured market data's daily bars and FX, ending on today's
 * valuation as {@link HoldingValues} makes it (so its last point is {@code value}'s total).
 */
@API(status = INTERNAL, since = "0.1")
public final class HistoryValues {
    private HistoryValues() {
    }

    /**
     * @param series the days
     * @param today  the valuation the last day is, and the base currency's
     */
    @API(status = INTERNAL, since = "0.1")
    public record Result(ValueHistory.Series series, HoldingValues.Result today) {
    }

    /**
     * @param currency the base currency; empty for the configured one
     * @param from     the first day; empty for the history's first
     * @param to       the last day; empty for today
     */
    public static Result series(FolioSync folio, Optional<String> currency, Optional<LocalDate> from,
                                Optional<LocalDate> to, Clock clock) {
        HoldingValues.Result now = HoldingValues.value(folio, latest(folio.query()), currency, clock);
        DailyPrices prices = marketData(folio).<DailyPrices>map(MarketPrices::new).orElse(DailyPrices.NONE);
        return series(folio.valueHistory(), now, prices, from, to, clock);
    }

    /**
     * The series of a database read without a configuration: today at the sources' prices, the days before at the
     * trades' prices only (there is no market data to ask).
     *
     * @param why why there is no market data, for a person
     */
    public static Result withoutMarketData(io.foliosync.imports.store.JdbcPortfolioStore store,
                                           Optional<String> currency, Optional<LocalDate> from,
                                           Optional<LocalDate> to, Clock clock, String why) {
        HoldingValues.Result now = HoldingValues.atSourcePrices(latest(store), currency, clock, why);
        return series(ValueHistory.of(store, clock), now, DailyPrices.NONE, from, to, clock);
    }

    private static List<Holding> latest(io.foliosync.imports.query.PortfolioQuery store) {
        List<Holding> all = new ArrayList<>();
        store.holdingNamespaces().forEach(s -> all.addAll(store.latestHoldings(s)));
        return all;
    }

    private static Result series(ValueHistory history, HoldingValues.Result now, DailyPrices prices,
                                 Optional<LocalDate> from, Optional<LocalDate> to, Clock clock) {
        List<Holding> holdings = new ArrayList<>();
        List<Optional<BigDecimal>> values = new ArrayList<>();
        for (ValuedHolding h : now.valuation().holdings()) {
            holdings.add(h.holding());
            values.add(h.baseValue());
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), clock.getZone());
        ValueHistory.Series s = history.series(from, to.orElse(today), now.valuation().baseCurrency(), prices,
                new ValueHistory.Today(today, holdings, values));
        return new Result(s, now);
    }

    private static Optional<MarketDataConnector> marketData(FolioSync folio) {
        Optional<MarketDataConnector> md = folio.marketData().stream().filter(MarketDataConnector.class::isInstance)
                .map(MarketDataConnector.class::cast).findFirst();
        try {
            return md.filter(m -> {
                AuthenticationResult a = m.authenticate();
                return a.success();
            });
        } catch (ConnectorException e) {
            return Optional.empty(); // HoldingValues says why in today's note; the history then has trade prices
        }
    }

    /** Daily closes from the market data's daily bars; FX from the pair's bars, through USD when not direct. */
    private static final class MarketPrices implements DailyPrices {
        private final MarketDataConnector md;

        MarketPrices(MarketDataConnector md) {
            this.md = md;
        }

        @Override
        public Map<LocalDate, BigDecimal> closes(String symbol, String currency, Optional<AssetClass> assetClass,
                                                 LocalDate from, LocalDate to) {
            Instrument i = assetClass.map(c -> Instrument.of(symbol, c, currency)).orElse(Instrument.of(symbol));
            return bars(md.history(i, from, to));
        }

        @Override
        public Map<LocalDate, BigDecimal> fxRates(String from, String to, LocalDate fromDay, LocalDate toDay) {
            Map<LocalDate, BigDecimal> direct = pair(from, to, fromDay, toDay);
            if (!direct.isEmpty() || from.equals("USD") || to.equals("USD")) {
                return direct;
            }
            Map<LocalDate, BigDecimal> toUsd = pair(from, "USD", fromDay, toDay);
            Map<LocalDate, BigDecimal> fromUsd = pair("USD", to, fromDay, toDay);
            Map<LocalDate, BigDecimal> out = new TreeMap<>();
            toUsd.forEach((d, r) -> {
                BigDecimal other = fromUsd.get(d);
                if (other != null) {
                    out.put(d, r.multiply(other, MathContext.DECIMAL64));
                }
            });
            return out;
        }

        private Map<LocalDate, BigDecimal> pair(String from, String to, LocalDate fromDay, LocalDate toDay) {
            Map<LocalDate, BigDecimal> rates = bars(md.history(Instrument.of(from + to, AssetClass.FOREX, to),
                    fromDay, toDay));
            if (!rates.isEmpty()) {
                return rates;
            }
            Map<LocalDate, BigDecimal> inverse = new TreeMap<>();
            bars(md.history(Instrument.of(to + from, AssetClass.FOREX, from), fromDay, toDay)).forEach((d, r) -> {
                if (r.signum() > 0) {
                    inverse.put(d, BigDecimal.ONE.divide(r, MathContext.DECIMAL64));
                }
            });
            return inverse;
        }

        private static Map<LocalDate, BigDecimal> bars(Lookup<PriceHistory> h) {
            Map<LocalDate, BigDecimal> out = new TreeMap<>();
            h.value().ifPresent(p -> {
                for (DailyBar b : p.bars()) {
                    if (b.close().signum() > 0) {
                        out.put(b.date(), b.close());
                    }
                }
            });
            return out;
        }
    }
}
