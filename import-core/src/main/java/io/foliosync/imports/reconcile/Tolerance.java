package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How far a reported and a derived quantity may differ and still match: {@code |difference| <= max(absolute,
 * relative × |reported|)}.
 *
 * @param absolute the absolute allowance, in units of the asset; non-negative
 * @param relative the allowance as a share of the reported quantity; non-negative, below 1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Tolerance(BigDecimal absolute, BigDecimal relative) {
    public Tolerance {
        Objects.requireNonNull(absolute, "absolute");
        Objects.requireNonNull(relative, "relative");
        if (absolute.signum() < 0) {
            throw new IllegalArgumentException("tolerance: absolute must not be negative, was " + absolute);
        }
        if (relative.signum() < 0 || relative.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException("tolerance: relative must be in [0, 1), was " + relative);
        }
    }

    public static Tolerance absolute(String absolute) {
        return new Tolerance(new BigDecimal(absolute), BigDecimal.ZERO);
    }

    /** @return whether {@code difference} is within this tolerance of {@code reported} */
    public boolean accepts(BigDecimal difference, BigDecimal reported) {
        BigDecimal allowed = absolute.max(relative.multiply(reported.abs()));
        return difference.abs().compareTo(allowed) <= 0;
    }
}
