package io.foliosync.imports.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.AssetClass;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where {@link ValueHistory} gets the daily closes it has not stored yet: the application's market data (the CLI
 * and the console adapt the configured market-data connector's daily bars and FX). Each is asked once per range; what
 * it returns is stored, so a later series asks only for the days after.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface DailyPrices {
    /**
     * @param assetClass the instrument's class when a holding says it, else empty
     * @return the closing price per trading day between {@code from} and {@code to} (inclusive), in {@code currency};
     *         the days it has none are absent; never null
     */
    Map<LocalDate, BigDecimal> closes(String symbol, String currency, Optional<AssetClass> assetClass, LocalDate from,
                                      LocalDate to);

    /** @return the rate converting one unit of {@code from} into {@code to}, per day that has one; never null */
    Map<LocalDate, BigDecimal> fxRates(String from, String to, LocalDate fromDay, LocalDate toDay);

    /** Prices nothing: the series then stands on trade prices and today's valuation only. */
    DailyPrices NONE = new DailyPrices() {
        @Override
        public Map<LocalDate, BigDecimal> closes(String symbol, String currency, Optional<AssetClass> assetClass,
                                                 LocalDate from, LocalDate to) {
            return Map.of();
        }

        @Override
        public Map<LocalDate, BigDecimal> fxRates(String from, String to, LocalDate fromDay, LocalDate toDay) {
            return Map.of();
        }
    };
}
