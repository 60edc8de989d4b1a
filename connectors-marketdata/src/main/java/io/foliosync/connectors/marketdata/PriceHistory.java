package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Daily bars, dividends and splits of one symbol over a date range, from one provider.
 *
 * @param symbol    the symbol as asked
 * @param currency  the prices' currency when the provider states it
 * @param bars      the trading days with a close, oldest first; days without data are absent, never zero
 * @param dividends the dividends in the range, oldest first; empty where the provider offers none
 * @param splits    the splits in the range, oldest first; empty where the provider offers none
 * @param provider  the provider that served it
 * @param providerSymbol the symbol the provider was asked for; equal to {@code symbol} when no mapping applied
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PriceHistory(String symbol, Optional<String> currency, List<DailyBar> bars,
                           List<Dividend> dividends, List<Split> splits, String provider,
                           String providerSymbol) {
    /** A history whose provider symbol is its symbol. */
    public PriceHistory(String symbol, Optional<String> currency, List<DailyBar> bars, List<Dividend> dividends,
                        List<Split> splits, String provider) {
        this(symbol, currency, bars, dividends, splits, provider, symbol);
    }

    public PriceHistory {
        Checks.text("PriceHistory", "symbol", symbol);
        Checks.currency("PriceHistory", "currency", currency);
        bars = bars.stream().sorted(Comparator.comparing(DailyBar::date)).toList();
        dividends = dividends.stream().sorted(Comparator.comparing(Dividend::exDate)).toList();
        splits = splits.stream().sorted(Comparator.comparing(Split::date)).toList();
        Checks.text("PriceHistory", "provider", provider);
        Checks.text("PriceHistory", "providerSymbol", providerSymbol);
    }

    /** @return this history reported under {@code ours}, keeping the symbol the provider was asked for */
    public PriceHistory reportedAs(String ours) {
        return new PriceHistory(ours, currency, bars, dividends, splits, provider, providerSymbol);
    }

    public boolean isEmpty() {
        return bars.isEmpty() && dividends.isEmpty() && splits.isEmpty();
    }

    /** @return the last bar on or before {@code date}, when there is one */
    public Optional<DailyBar> barOnOrBefore(LocalDate date) {
        DailyBar found = null;
        for (DailyBar bar : bars) {
            if (bar.date().isAfter(date)) {
                break;
            }
            found = bar;
        }
        return Optional.ofNullable(found);
    }

    /** @return the same history cut to {@code [from, to]} */
    public PriceHistory between(LocalDate from, LocalDate to) {
        return new PriceHistory(symbol, currency,
                bars.stream().filter(b -> !b.date().isBefore(from) && !b.date().isAfter(to)).toList(),
                dividends.stream().filter(d -> !d.exDate().isBefore(from) && !d.exDate().isAfter(to)).toList(),
                splits.stream().filter(s -> !s.date().isBefore(from) && !s.date().isAfter(to)).toList(),
                provider, providerSymbol);
    }
}
