package io.foliosync.connectors.schwab.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed reads from {@code Json.readTree} maps. */
final class JsonTree {
    private JsonTree() {
    }

    static Optional<String> str(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        if (v == null) {
            return Optional.empty();
        }
        String s = v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v).trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    static Optional<BigDecimal> dec(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        if (v instanceof BigDecimal d) {
            return Optional.of(d);
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Optional.of(new BigDecimal(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static Map<?, ?> obj(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Map<?, ?> mm ? mm : Map.of();
    }

    static List<?> list(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof List<?> l ? l : List.of();
    }
}
