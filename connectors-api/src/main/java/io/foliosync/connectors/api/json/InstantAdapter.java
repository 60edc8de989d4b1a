package io.foliosync.connectors.api.json;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 instants, with a zone offset ({@code 2024-01-02T03:04:05Z}, {@code ...+0100} is not ISO and is
 * refused). Epoch numbers are not accepted: seconds and milliseconds cannot be told apart, so sources that
 * send them convert explicitly.
 */
final class InstantAdapter extends JsonAdapter<Instant> {
    @Override
    public Instant fromJson(JsonReader reader) throws IOException {
        String path = reader.getPath();
        String text = reader.nextString();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new JsonDataException("expected an ISO-8601 instant but was '" + text + "' at " + path, e);
        }
    }

    @Override
    public void toJson(JsonWriter writer, Instant value) throws IOException {
        writer.value(value.toString());
    }
}
