package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The latest price a provider knows for a symbol.
 *
 * @param symbol   the symbol as asked; never blank
 * @param price    the last price per unit; never negative, never a stand-in for "unknown"
 * @param currency the price's currency when the provider states it (Yahoo does; Tiingo and Alpha Vantage do
 *                 not, and callers then assume the instrument's own currency)
 * @param date     the trading day the price belongs to
 * @param time     the exact time of the price, when the provider gives one
 * @param provider the provider that served it, such as {@code yahoo}
 * @param providerSymbol the symbol the provider was asked for ({@code BTC-USD} for a {@code BTC} holding);
 *                 equal to {@code symbol} when no mapping applied
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Quote(String symbol, BigDecimal price, Optional<String> currency, LocalDate date,
                    Optional<Instant> time, String provider, String providerSymbol) {
    /** A quote whose provider symbol is its symbol. */
    public Quote(String symbol, BigDecimal price, Optional<String> currency, LocalDate date,
                 Optional<Instant> time, String provider) {
        this(symbol, price, currency, date, time, provider, symbol);
    }

    public Quote {
        Checks.text("Quote", "symbol", symbol);
        Checks.nonNegative("Quote", "price", price);
        Checks.currency("Quote", "currency", currency);
        Objects.requireNonNull(date, "Quote.date");
        Objects.requireNonNull(time, "Quote.time");
        Checks.text("Quote", "provider", provider);
        Checks.text("Quote", "providerSymbol", providerSymbol);
    }

    /** @return this quote reported under {@code ours}, keeping the symbol the provider was asked for */
    public Quote reportedAs(String ours) {
        return new Quote(ours, price, currency, date, time, provider, providerSymbol);
    }

    /** @return when the price was set: its time, or the end of its trading day (UTC) when only the day is known */
    public Instant asOf() {
        return time.orElse(date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
