package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** The checks the {@link Validator} runs on every normalized transaction, with their default severity. */
@API(status = INTERNAL, since = "0.1")
public enum ValidationRule {
    /** Trades need a symbol and a price; a dividend without a symbol is only a warning. */
    REQUIRED_FIELDS(Severity.ERROR),
    /** Trades need a quantity above zero. */
    QUANTITY_SIGN(Severity.ERROR),
    /** A trade at a price of zero is suspicious but happens (free shares). */
    PRICE_SIGN(Severity.WARNING),
    /** For trades, {@code amount ≈ quantity × price ± fees} within the tolerance. */
    AMOUNT_MATCHES(Severity.ERROR),
    /** The date lies more than one day in the future. */
    DATE_IN_FUTURE(Severity.ERROR),
    /** The date lies before 1970-01-01. */
    DATE_BEFORE_1970(Severity.ERROR),
    /** The currency is neither ISO-4217 nor a known crypto asset. */
    KNOWN_CURRENCY(Severity.ERROR),
    /** Two records of one batch share an identity; the later one is rejected. */
    DUPLICATE_SOURCE_ID(Severity.ERROR),
    /**
     * A text field holds a NUL character (which PostgreSQL cannot store and no statement means) or U+FFFD, the
     * character a decoder puts where the source's bytes were not valid in its character set: the text is not what
     * the source wrote, so the record is rejected, naming the field, rather than stored garbled.
     */
    TEXT_ENCODING(Severity.ERROR);

    private final Severity defaultSeverity;

    ValidationRule(Severity defaultSeverity) {
        this.defaultSeverity = defaultSeverity;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** @return the name stored in {@code quarantine.rule}, such as {@code amount_matches} */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
