package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.CurrencyCodes;
import java.math.BigDecimal;
import java.util.Optional;

/** Argument checks for this module's records; each failure names the record and field. */
final class Checks {
    private Checks() {
    }

    static String text(String record, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(record + "." + field + " is required but was "
                    + (value == null ? "null" : "blank"));
        }
        return value;
    }

    static BigDecimal required(String record, String field, BigDecimal value) {
        if (value == null) {
            throw new IllegalArgumentException(record + "." + field + " is required but was null");
        }
        return value;
    }

    static BigDecimal nonNegative(String record, String field, BigDecimal value) {
        required(record, field, value);
        if (value.signum() < 0) {
            throw new IllegalArgumentException(record + "." + field + " must not be negative but was "
                    + value.toPlainString());
        }
        return value;
    }

    static BigDecimal positive(String record, String field, BigDecimal value) {
        required(record, field, value);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(record + "." + field + " must be positive but was "
                    + value.toPlainString());
        }
        return value;
    }

    static <T> Optional<T> optional(String record, String field, Optional<T> value) {
        if (value == null) {
            throw new IllegalArgumentException(record + "." + field + " must be Optional.empty(), not null");
        }
        return value;
    }

    static String currency(String record, String field, String code) {
        if (!CurrencyCodes.isWellFormed(code)) {
            throw new IllegalArgumentException(record + "." + field
                    + " must be an ISO-4217 code or an upper-case crypto ticker but was '" + code + "'");
        }
        return code;
    }

    static Optional<String> currency(String record, String field, Optional<String> code) {
        optional(record, field, code).ifPresent(c -> currency(record, field, c));
        return code;
    }
}
