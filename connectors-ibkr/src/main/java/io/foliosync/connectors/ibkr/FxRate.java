package io.foliosync.connectors.ibkr;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One {@code <ConversionRate>} of a Flex statement: 1 {@code fromCurrency} = {@code rate} {@code toCurrency}
 * on {@code date} (IBKR's closing rate, usually towards the account's base currency).
 */
public record FxRate(LocalDate date, String fromCurrency, String toCurrency, BigDecimal rate) {
    public FxRate {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(fromCurrency, "fromCurrency");
        Objects.requireNonNull(toCurrency, "toCurrency");
        Objects.requireNonNull(rate, "rate");
        if (rate.signum() <= 0) {
            throw new IllegalArgumentException("FxRate.rate must be positive but was " + rate.toPlainString());
        }
    }
}
