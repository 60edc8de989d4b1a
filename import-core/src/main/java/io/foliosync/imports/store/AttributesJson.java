package io.foliosync.imports.store;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Types;
import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** Attributes and credentials as JSON objects of strings, keys sorted. */
final class AttributesJson {
    private static final JsonAdapter<Map<String, String>> ADAPTER =
            Json.moshi().adapter(Types.newParameterizedType(Map.class, String.class, String.class));

    private AttributesJson() {
    }

    static String write(Map<String, String> map) {
        return map.isEmpty() ? "{}" : ADAPTER.toJson(new TreeMap<>(map));
    }

    static Map<String, String> read(String json) {
        if (json.equals("{}")) {
            return Map.of(); // most records have none: reading every stored row back (reconciliation) skips Moshi
        }
        try {
            Map<String, String> map = ADAPTER.fromJson(json);
            return map == null ? Map.of() : map;
        } catch (IOException e) {
            throw new UncheckedIOException("stored attributes are not a JSON object of strings", e);
        }
    }
}
