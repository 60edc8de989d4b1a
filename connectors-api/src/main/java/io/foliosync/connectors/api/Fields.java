package io.foliosync.connectors.api;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** Checks shared by the records' compact constructors; every failure names the record and field. */
final class Fields {
    private Fields() {
    }

    static <T> T required(String record, String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(record + "." + field + " is required but was null");
        }
        return value;
    }

    static String requiredText(String record, String field, String value) {
        required(record, field, value);
        if (value.isBlank()) {
            throw new IllegalArgumentException(record + "." + field + " is required but was blank");
        }
        return value;
    }

    static <T> Optional<T> optional(String record, String field, Optional<T> value) {
        if (value == null) {
            throw new IllegalArgumentException(
                    record + "." + field + " must be Optional.empty(), not null, when absent");
        }
        return value;
    }

    /** An optional text that, when present, must not be blank: absence is spelled Optional.empty(). */
    static Optional<String> optionalText(String record, String field, Optional<String> value) {
        optional(record, field, value).filter(String::isBlank).ifPresent(s -> {
            throw new IllegalArgumentException(record + "." + field + " must not be blank; use Optional.empty()");
        });
        return value;
    }

    static BigDecimal nonNegative(String record, String field, BigDecimal value) {
        required(record, field, value);
        if (value.signum() < 0) {
            throw new IllegalArgumentException(
                    record + "." + field + " must not be negative but was " + value.toPlainString());
        }
        return value;
    }

    static Optional<BigDecimal> nonNegative(String record, String field, Optional<BigDecimal> value) {
        optional(record, field, value).ifPresent(v -> nonNegative(record, field, v));
        return value;
    }

    static String currency(String record, String field, String code) {
        required(record, field, code);
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

    static Map<String, String> attributes(String record, Map<String, String> attributes) {
        if (attributes == null) {
            return Map.of();
        }
        attributes.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException(record + ".attributes must not hold null keys or values");
            }
        });
        return Map.copyOf(attributes);
    }
}
