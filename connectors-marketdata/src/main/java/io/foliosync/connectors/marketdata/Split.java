package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A stock split: {@code numerator} new shares for every {@code denominator} old ones (4:1 is 4 for 1).
 *
 * @param date the day it takes effect
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Split(LocalDate date, BigDecimal numerator, BigDecimal denominator) {
    public Split {
        Objects.requireNonNull(date, "Split.date");
        Checks.positive("Split", "numerator", numerator);
        Checks.positive("Split", "denominator", denominator);
    }

    /** @return new shares per old share: 4 for a 4:1 split, 0.1 for a 1:10 reverse split */
    public BigDecimal factor() {
        return numerator.divide(denominator, MathContext.DECIMAL64);
    }
}
