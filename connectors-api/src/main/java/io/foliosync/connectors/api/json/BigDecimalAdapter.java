package io.foliosync.connectors.api.json;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.math.BigDecimal;

/** Reads numbers and numeric strings ("0.1", 0.1) exactly; writes the plain decimal text. */
final class BigDecimalAdapter extends JsonAdapter<BigDecimal> {
    @Override
    public BigDecimal fromJson(JsonReader reader) throws IOException {
        String path = reader.getPath();
        String text = reader.nextString();
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new JsonDataException("expected a decimal number but was '" + text + "' at " + path, e);
        }
    }

    @Override
    public void toJson(JsonWriter writer, BigDecimal value) throws IOException {
        writer.value(value);
    }
}
