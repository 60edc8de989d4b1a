package io.foliosync.connectors.api.json;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** ISO-8601 dates ({@code 2024-01-31}). */
final class LocalDateAdapter extends JsonAdapter<LocalDate> {
    @Override
    public LocalDate fromJson(JsonReader reader) throws IOException {
        String path = reader.getPath();
        String text = reader.nextString();
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new JsonDataException("expected an ISO-8601 date but was '" + text + "' at " + path, e);
        }
    }

    @Override
    public void toJson(JsonWriter writer, LocalDate value) throws IOException {
        writer.value(value.toString());
    }
}
