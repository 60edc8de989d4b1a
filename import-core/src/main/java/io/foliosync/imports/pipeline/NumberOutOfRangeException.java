package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.math.BigDecimal;
import org.apiguardian.api.API;

/**
 * A record's figure lies beyond what FolioSync stores ({@link Normalizer#MAX_INTEGER_DIGITS} integer digits,
 * {@link Normalizer#MAX_DECIMAL_PLACES} decimal places): the record is malformed. The message shows the value in
 * scientific notation, never written out in full (which for {@code 1E+999999999} would be a gigabyte).
 */
@API(status = INTERNAL, since = "0.1")
public final class NumberOutOfRangeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    NumberOutOfRangeException(String field, BigDecimal value) {
        super(field + " " + abbreviated(value) + " lies beyond the figures FolioSync stores (at most "
                + Normalizer.MAX_INTEGER_DIGITS + " integer digits and " + Normalizer.MAX_DECIMAL_PLACES
                + " decimal places)");
        this.field = field;
    }

    /** @return the record's field at fault: {@code quantity}, {@code price}, {@code amount} or {@code fees} */
    public String field() {
        return field;
    }

    private static String abbreviated(BigDecimal v) {
        String text = v.round(new java.math.MathContext(12)).toString(); // scientific: bounded length
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
