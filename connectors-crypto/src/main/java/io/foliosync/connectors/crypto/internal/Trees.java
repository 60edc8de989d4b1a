package io.foliosync.connectors.crypto.internal;

import io.foliosync.connectors.api.DataFetchException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed reads from a {@code Json.readTree} tree; every failure names exchange, endpoint, record and field. */
final class Trees {
    private final String source;
    private final String endpoint;

    Trees(String source, String endpoint) {
        this.source = source;
        this.endpoint = endpoint;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(Object value, String record, String field) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw bad(record, field, "expected a JSON object but was " + describe(value));
    }

    @SuppressWarnings("unchecked")
    List<Object> list(Object value, String record, String field) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw bad(record, field, "expected a JSON array but was " + describe(value));
    }

    String text(Map<String, Object> row, String record, String field) {
        return optText(row, field).orElseThrow(() -> bad(record, field, "missing"));
    }

    Optional<String> optText(Map<String, Object> row, String field) {
        Object v = row.get(field);
        if (v == null) {
            return Optional.empty();
        }
        String s = v instanceof BigDecimal b ? b.toPlainString() : String.valueOf(v);
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    BigDecimal decimal(Map<String, Object> row, String record, String field) {
        return optDecimal(row, record, field).orElseThrow(() -> bad(record, field, "missing"));
    }

    Optional<BigDecimal> optDecimal(Map<String, Object> row, String record, String field) {
        Optional<String> s = optText(row, field);
        try {
            return s.map(BigDecimal::new);
        } catch (NumberFormatException e) {
            throw bad(record, field, "not a number: '" + s.get() + "'");
        }
    }

    /** Reads seconds with a fraction ({@code 1389071942.2089}), as Kraken sends them. */
    Instant epochSeconds(Map<String, Object> row, String record, String field) {
        return Times.fromEpochSeconds(decimal(row, record, field));
    }

    Instant epochMillis(Map<String, Object> row, String record, String field) {
        BigDecimal ms = decimal(row, record, field);
        try {
            return Instant.ofEpochMilli(ms.longValueExact());
        } catch (ArithmeticException e) {
            throw bad(record, field, "not whole milliseconds: " + ms.toPlainString());
        }
    }

    DataFetchException bad(String record, String field, String detail) {
        return DataFetchException.malformed(source, endpoint, record, field, detail, null);
    }

    private static String describe(Object v) {
        return v == null ? "null" : v instanceof String s ? "'" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'"
                : v.getClass().getSimpleName();
    }
}
