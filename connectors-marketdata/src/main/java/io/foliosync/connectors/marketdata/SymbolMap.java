package io.foliosync.connectors.marketdata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The user's per-provider symbol overrides, {@code market_data.<provider>.symbol_map: {OURS: THEIRS}}. An
 * entry wins over the provider's automatic rules; an empty value ({@code ""} or {@code ~}) means "never ask
 * this provider for it". Keys match the instrument's symbol ignoring case.
 */
final class SymbolMap {
    static final SymbolMap EMPTY = new SymbolMap(Map.of());

    private final Map<String, Map<String, Optional<String>>> byProvider;

    private SymbolMap(Map<String, Map<String, Optional<String>>> byProvider) {
        this.byProvider = byProvider;
    }

    /** @param maps provider id → (our symbol → their symbol, blank or null for "not served") */
    static SymbolMap of(Map<String, Map<String, String>> maps) {
        Map<String, Map<String, Optional<String>>> copy = new HashMap<>();
        maps.forEach((provider, entries) -> {
            Map<String, Optional<String>> m = new HashMap<>();
            entries.forEach((ours, theirs) -> m.put(key(Checks.text("symbol_map", "key", ours)),
                    Optional.ofNullable(theirs).map(String::trim).filter(t -> !t.isEmpty())));
            copy.put(provider, Map.copyOf(m));
        });
        return new SymbolMap(Map.copyOf(copy));
    }

    /**
     * Reads one provider's {@code symbol_map} value.
     *
     * @param keyPath  the key's path, for messages
     * @param raw      the YAML value: a map of strings; absent is an empty map
     * @param problems where invalid entries are reported
     */
    static Map<String, String> parse(String keyPath, Object raw, List<String> problems) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(keyPath + ": expected a map of OUR_SYMBOL: PROVIDER_SYMBOL but was a "
                    + (raw instanceof Collection ? "list" : "single value"));
            return out;
        }
        List<String> seen = new ArrayList<>();
        m.forEach((k, v) -> {
            String ours = k == null ? "" : String.valueOf(k).trim();
            if (ours.isEmpty()) {
                problems.add(keyPath + ": a key is blank");
                return;
            }
            if (seen.contains(key(ours))) {
                problems.add(keyPath + "." + ours + ": listed twice (keys ignore case)");
                return;
            }
            seen.add(key(ours));
            if (v instanceof Map || v instanceof Collection) {
                problems.add(keyPath + "." + ours + ": expected the provider's symbol as text");
                return;
            }
            out.put(ours, v == null ? null : String.valueOf(v).trim());
        });
        return out;
    }

    /**
     * @return empty when the user did not map the symbol for this provider; otherwise the mapping, itself
     * empty when the user excluded the provider for this symbol
     */
    Optional<Optional<String>> lookup(String providerId, String ours) {
        Map<String, Optional<String>> m = byProvider.get(providerId);
        if (m == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(m.get(key(ours)));
    }

    private static String key(String symbol) {
        return symbol.trim().toUpperCase(Locale.ROOT);
    }
}
