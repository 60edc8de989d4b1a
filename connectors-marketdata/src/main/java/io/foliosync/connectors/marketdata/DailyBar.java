package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One trading day of a symbol. A day without a close is not a bar: providers leave it out rather than
 * report zero.
 *
 * @param date          the trading day
 * @param open          the raw opening price, when given
 * @param high          the raw high, when given
 * @param low           the raw low, when given
 * @param close         the raw (unadjusted) close
 * @param adjustedClose the close adjusted for later splits and dividends, when the provider gives it
 * @param volume        shares traded, when given
 * @param dividend      the cash dividend going ex on this day (Tiingo's {@code divCash}), when non-zero
 * @param splitFactor   the split taking effect this day (Tiingo's {@code splitFactor}), when not 1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record DailyBar(LocalDate date, Optional<BigDecimal> open, Optional<BigDecimal> high,
                       Optional<BigDecimal> low, BigDecimal close, Optional<BigDecimal> adjustedClose,
                       Optional<BigDecimal> volume, Optional<BigDecimal> dividend,
                       Optional<BigDecimal> splitFactor) {
    public DailyBar {
        Objects.requireNonNull(date, "DailyBar.date");
        Checks.optional("DailyBar", "open", open);
        Checks.optional("DailyBar", "high", high);
        Checks.optional("DailyBar", "low", low);
        Checks.nonNegative("DailyBar", "close", close);
        Checks.optional("DailyBar", "adjustedClose", adjustedClose);
        Checks.optional("DailyBar", "volume", volume);
        Checks.optional("DailyBar", "dividend", dividend);
        Checks.optional("DailyBar", "splitFactor", splitFactor);
    }

    /** @return a bar with only a close: FRED observations, Alpha Vantage rows without adjustments */
    public static DailyBar close(LocalDate date, BigDecimal close) {
        return new DailyBar(date, Optional.empty(), Optional.empty(), Optional.empty(), close, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
