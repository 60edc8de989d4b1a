package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.FxRate;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * One market-data source: Tiingo, Yahoo Finance, Alpha Vantage, FRED, or a caller's own. A provider
 * declares what it offers in {@link #features()}; the {@link MarketDataConnector} asks only providers that
 * offer a feature, in the configured order, and hands over to the next when one is rate-limited, down or has
 * no data.
 *
 * <p>Contract: "no data" is an empty result, never a zero price. Failures are typed exceptions
 * ({@link io.foliosync.connectors.api.RateLimitException}, {@link io.foliosync.connectors.api.DataFetchException}
 * naming provider, endpoint and symbol, {@link io.foliosync.connectors.api.AuthenticationException}).
 * Implementations cache within their {@code cache_duration} and are thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface QuoteProvider {

    /** What a provider can answer. */
    enum Feature {
        /** {@link #latestQuotes(Collection)}. */
        LATEST_QUOTES,
        /** {@link #latestQuotes(Collection)} serves many symbols per request. */
        BATCH_QUOTES,
        /** {@link #history(String, LocalDate, LocalDate)} returns bars. */
        DAILY_BARS,
        /** {@link #history(String, LocalDate, LocalDate)} returns dividends. */
        DIVIDENDS,
        /** {@link #history(String, LocalDate, LocalDate)} returns splits. */
        SPLITS,
        /** {@link #fxRate(String, String, LocalDate, int)} for pairs with USD on one side. */
        FX_RATES,
        /** {@link #series(String, LocalDate, LocalDate)}. */
        ECONOMIC_SERIES
    }

    /** @return the provider's id as configuration names it, such as {@code alpha_vantage}; never blank */
    String id();

    /** @return what this provider answers; never null */
    Set<Feature> features();

    /**
     * This provider's symbol for an instrument as a broker or exchange reported it ({@code BTC} held in USD
     * is {@code BTC-USD} on Yahoo). The chain asks every method below with this symbol and reports answers
     * under the instrument's own symbol; a {@code symbol_map} entry in configuration wins over this rule.
     *
     * @return the symbol to ask this provider for; empty when it does not serve the instrument (the chain
     * then hands over without a request). The default passes the symbol unchanged.
     */
    default Optional<String> providerSymbol(Instrument instrument) {
        return Optional.of(instrument.symbol());
    }

    /**
     * @param symbols the symbols to price; duplicates are asked once
     * @return the quotes found and the per-symbol failures; never null
     */
    default QuoteBatch latestQuotes(Collection<String> symbols) {
        return QuoteBatch.empty();
    }

    /**
     * @param from the first day, inclusive
     * @param to   the last day, inclusive
     * @return bars, dividends and splits within {@code [from, to]}; empty when the provider has nothing
     */
    default Optional<PriceHistory> history(String symbol, LocalDate from, LocalDate to) {
        return Optional.empty();
    }

    /**
     * A rate between USD and another currency (one of {@code from}, {@code to} is USD).
     *
     * @param date         the day asked
     * @param lookbackDays how many days before {@code date} an observation may be, for weekends and holidays
     * @return the latest rate on or before {@code date} within the lookback; empty when none
     */
    default Optional<FxRate> fxRate(String from, String to, LocalDate date, int lookbackDays) {
        return Optional.empty();
    }

    /** @return the observations of an economic series within {@code [from, to]}; missing values stay empty */
    default List<Observation> series(String seriesId, LocalDate from, LocalDate to) {
        return List.of();
    }
}
