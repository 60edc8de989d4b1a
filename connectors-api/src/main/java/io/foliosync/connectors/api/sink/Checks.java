package io.foliosync.connectors.api.sink;

import java.util.Objects;

/** The validation the SPI's records share. */
final class Checks {
    private Checks() {
    }

    static String text(String record, String field, String value) {
        Objects.requireNonNull(value, record + "." + field + " is required");
        if (value.isBlank()) {
            throw new IllegalArgumentException(record + "." + field + " must not be blank");
        }
        return value;
    }
}
