package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.DataFetchException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads over a {@code Json.readTree} value for one response. Every failure is a malformed-data
 * {@link DataFetchException} naming the provider, endpoint, symbol (the record) and field.
 */
final class Tree {
    private final String provider;
    private final String endpoint;
    private final String symbol;

    Tree(String provider, String endpoint, String symbol) {
        this.provider = provider;
        this.endpoint = endpoint;
        this.symbol = symbol;
    }

    DataFetchException malformed(String field, String detail) {
        return DataFetchException.malformed(provider, endpoint, symbol, field, detail, null);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(Object node, String field) {
        if (node instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw malformed(field, "expected a JSON object but found " + describe(node));
    }

    @SuppressWarnings("unchecked")
    List<Object> list(Object node, String field) {
        if (node instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw malformed(field, "expected a JSON array but found " + describe(node));
    }

    Map<String, Object> object(Map<String, Object> parent, String field) {
        return object(parent.get(field), field);
    }

    Optional<Map<String, Object>> optObject(Map<String, Object> parent, String field) {
        Object v = parent.get(field);
        return v == null ? Optional.empty() : Optional.of(object(v, field));
    }

    List<Object> list(Map<String, Object> parent, String field) {
        return list(parent.get(field), field);
    }

    Optional<List<Object>> optList(Map<String, Object> parent, String field) {
        Object v = parent.get(field);
        return v == null ? Optional.empty() : Optional.of(list(v, field));
    }

    String text(Map<String, Object> parent, String field) {
        return optText(parent, field).orElseThrow(() -> malformed(field, "missing"));
    }

    Optional<String> optText(Map<String, Object> parent, String field) {
        Object v = parent.get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
        }
        if (v instanceof BigDecimal d) {
            return Optional.of(d.toPlainString());
        }
        throw malformed(field, "expected text but found " + describe(v));
    }

    /** A number written as a JSON number or as text ({@code "112.1300"}). */
    BigDecimal decimal(Object v, String field) {
        return optDecimal(v, field).orElseThrow(() -> malformed(field, "missing"));
    }

    Optional<BigDecimal> optDecimal(Object v, String field) {
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof BigDecimal d) {
            return Optional.of(d);
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new BigDecimal(t));
            } catch (NumberFormatException e) {
                throw malformed(field, "expected a number but found '" + abbreviate(t) + "'");
            }
        }
        throw malformed(field, "expected a number but found " + describe(v));
    }

    BigDecimal decimal(Map<String, Object> parent, String field) {
        return decimal(parent.get(field), field);
    }

    Optional<BigDecimal> optDecimal(Map<String, Object> parent, String field) {
        return optDecimal(parent.get(field), field);
    }

    /** A date as {@code 2020-01-02} or the date part of {@code 2020-01-02T00:00:00.000Z}. */
    LocalDate date(String text, String field) {
        try {
            return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        } catch (DateTimeParseException e) {
            throw malformed(field, "expected a date such as 2020-01-02 but found '" + abbreviate(text) + "'");
        }
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return "'" + abbreviate(String.valueOf(v)) + "'";
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
