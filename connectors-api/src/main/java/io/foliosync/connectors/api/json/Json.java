package io.foliosync.connectors.api.json;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.apiguardian.api.API;

/**
 * The one shared Moshi instance, with adapters for {@link BigDecimal} (read from the JSON text, never
 * through {@code double}), {@link Instant} (ISO-8601) and {@link LocalDate} (ISO-8601), and a tree reader
 * whose numbers are {@code BigDecimal}s.
 */
@API(status = INTERNAL, since = "0.1")
public final class Json {
    private static final Moshi MOSHI = new Moshi.Builder()
            .add(BigDecimal.class, new BigDecimalAdapter().nullSafe())
            .add(Instant.class, new InstantAdapter().nullSafe())
            .add(LocalDate.class, new LocalDateAdapter().nullSafe())
            .build();

    private Json() {
    }

    /** @return the shared Moshi instance; thread-safe */
    public static Moshi moshi() {
        return MOSHI;
    }

    /** @return an adapter for a type such as {@code List<Trade>} */
    public static <T> JsonAdapter<T> adapter(Type type) {
        return MOSHI.adapter(type);
    }

    /** @return a parameterized type, for {@link #adapter(Type)} */
    public static Type listOf(Type element) {
        return Types.newParameterizedType(List.class, element);
    }

    /**
     * Reads any JSON value into {@code Map<String,Object>} (insertion ordered), {@code List<Object>},
     * {@code String}, {@code BigDecimal}, {@code Boolean} or {@code null}. Numbers keep every digit.
     *
     * @throws JsonEncodingException for text that is not JSON
     * @throws JsonDataException     for JSON that ends early
     */
    public static Object readTree(String json) throws IOException {
        JsonReader reader = JsonReader.of(new Buffer().writeUtf8(json));
        Object value = readValue(reader);
        if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
            throw new JsonEncodingException("trailing content after the JSON value at " + reader.getPath());
        }
        return value;
    }

    /** Reads the next value of {@code reader} as {@link #readTree(String)} does. */
    public static Object readValue(JsonReader reader) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    map.put(reader.nextName(), readValue(reader));
                }
                reader.endObject();
                return map;
            }
            case BEGIN_ARRAY -> {
                List<Object> list = new ArrayList<>();
                reader.beginArray();
                while (reader.hasNext()) {
                    list.add(readValue(reader));
                }
                reader.endArray();
                return list;
            }
            case STRING -> {
                return reader.nextString();
            }
            case NUMBER -> {
                // nextString() on a number token yields its literal text: no double in between.
                return new BigDecimal(reader.nextString());
            }
            case BOOLEAN -> {
                return reader.nextBoolean();
            }
            case NULL -> {
                return reader.nextNull();
            }
            default -> throw new JsonDataException("unexpected " + reader.peek() + " at " + reader.getPath());
        }
    }
}
