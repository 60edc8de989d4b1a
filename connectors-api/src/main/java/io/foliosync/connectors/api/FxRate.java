package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How many units of {@code to} one unit of {@code from} buys on {@code date}: a market-data provider's observation
 * (FRED, Yahoo), one built through USD from two of them, or a rate a statement reports (an IBKR Flex
 * {@code <ConversionRate>}, IBKR's closing rate towards the account's base currency).
 *
 * @param from   the currency converted from
 * @param to     the currency converted to
 * @param rate   units of {@code to} per unit of {@code from}; positive
 * @param date   the date of the observation used (on or before the date asked: FX series skip weekends and
 *               holidays); for a triangulated rate, the older of its legs' dates
 * @param source where the rate came from, such as {@code fred:DEXUSEU} or {@code yahoo:EURUSD=X}; for a
 *               triangulated rate, its legs' sources joined by {@code " x "}
 * @param legs   the two rates through USD a triangulated rate was built from; empty for a direct rate
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record FxRate(String from, String to, BigDecimal rate, LocalDate date, String source, List<FxRate> legs) {
    /** Precision of divided and multiplied rates: 16 significant digits. */
    public static final MathContext PRECISION = MathContext.DECIMAL64;

    public FxRate {
        Fields.currency("FxRate", "from", from);
        Fields.currency("FxRate", "to", to);
        Fields.required("FxRate", "rate", rate);
        if (rate.signum() <= 0) {
            throw new IllegalArgumentException("FxRate.rate must be positive but was " + rate.toPlainString());
        }
        Objects.requireNonNull(date, "FxRate.date");
        Fields.requiredText("FxRate", "source", source);
        legs = List.copyOf(legs);
    }

    /** @return a direct rate without legs */
    public static FxRate direct(String from, String to, BigDecimal rate, LocalDate date, String source) {
        return new FxRate(from, to, rate, date, source, List.of());
    }

    /** @return the rate of one unit of a currency in itself */
    public static FxRate identity(String currency, LocalDate date) {
        return direct(currency, currency, BigDecimal.ONE, date, "identity");
    }

    /** @return {@code amount} of {@code from} expressed in {@code to} (not rounded) */
    public BigDecimal convert(BigDecimal amount) {
        return amount.multiply(rate);
    }

    /** @return the rate the other way round, with the same date and source */
    public FxRate inverse() {
        List<FxRate> inverted = new ArrayList<>(legs.stream().map(FxRate::inverse).toList());
        Collections.reverse(inverted);
        return new FxRate(to, from, BigDecimal.ONE.divide(rate, PRECISION), date, source, inverted);
    }

    /** @return whether this rate was built through USD */
    public boolean triangulated() {
        return !legs.isEmpty();
    }
}
