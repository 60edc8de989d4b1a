package io.foliosync.connectors.marketdata;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

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
 */
public record Quote(String symbol, BigDecimal price, Optional<String> currency, LocalDate date,
                    Optional<Instant> time, String provider) {
    public Quote {
        Checks.text("Quote", "symbol", symbol);
        Checks.nonNegative("Quote", "price", price);
        Checks.currency("Quote", "currency", currency);
        Objects.requireNonNull(date, "Quote.date");
        Objects.requireNonNull(time, "Quote.time");
        Checks.text("Quote", "provider", provider);
    }

    /** @return when the price was set: its time, or the end of its trading day (UTC) when only the day is known */
    public Instant asOf() {
        return time.orElse(date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
