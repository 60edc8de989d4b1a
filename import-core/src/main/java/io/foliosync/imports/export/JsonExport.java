package io.foliosync.imports.export;

import com.squareup.moshi.JsonWriter;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.query.StoredTransaction;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import okio.Buffer;

/** {@link Exports#json}: the records as a JSON array, written object by object. */
final class JsonExport {
    private JsonExport() {
    }

    static void write(Writer out, List<StoredTransaction> records) throws IOException {
        out.write("[");
        boolean first = true;
        for (StoredTransaction s : records) {
            out.write(first ? "\n" : ",\n");
            first = false;
            out.write(object(s));
        }
        out.write(first ? "]\n" : "\n]\n");
    }

    private static String object(StoredTransaction s) throws IOException {
        Transaction t = s.transaction();
        Buffer buffer = new Buffer();
        try (JsonWriter w = JsonWriter.of(buffer)) {
            w.beginObject();
            w.name("source").value(s.sourceName());
            w.name("account").value(t.accountId());
            w.name("record_id").value(s.recordId());
            w.name("date").value(t.date().toString());
            w.name("trade_date").value(t.tradeDate().toString());
            w.name("type").value(t.type().name());
            optional(w, "symbol", t.symbol());
            optional(w, "name", t.name());
            decimal(w, "quantity", t.quantity());
            if (t.price().isPresent()) {
                decimal(w, "price", t.price().get());
            }
            decimal(w, "amount", t.amount());
            w.name("currency").value(t.currency());
            decimal(w, "fees", t.fees());
            optional(w, "fee_currency", t.feeCurrency());
            optional(w, "description", t.description());
            optional(w, "raw_type", t.rawType());
            w.endObject();
        }
        return buffer.readUtf8();
    }

    private static void optional(JsonWriter w, String name, Optional<String> v) throws IOException {
        if (v.isPresent()) {
            w.name(name).value(v.get());
        }
    }

    /** A plain decimal (never 1E+3): every reader parses it, and none has to through a double. */
    private static void decimal(JsonWriter w, String name, BigDecimal v) throws IOException {
        w.name(name);
        try (okio.BufferedSink sink = w.valueSink()) {
            sink.writeUtf8(v.toPlainString());
        }
    }
}
