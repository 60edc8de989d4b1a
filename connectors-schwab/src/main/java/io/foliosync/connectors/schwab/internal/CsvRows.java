package io.foliosync.connectors.schwab.internal;

import io.foliosync.connectors.api.DataFetchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Splits CSV text into rows that remember the line they start on, with Apache Commons CSV (RFC 4180: quoted
 * fields, doubled quotes, separators and line breaks inside quotes). Schwab's exports end rows with a stray
 * comma at times; an empty last field is kept and ignored by the parsers.
 */
final class CsvRows {
    /** Empty lines stay records, so every record's line is counted; {@code , "x"} is a quoted field. */
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(true)
            .get();
    /** The same, but a file that ends inside quotes reads: tells a cut-off file from other broken CSV. */
    private static final CSVFormat LENIENT_EOF = FORMAT.builder().setLenientEof(true).get();

    private CsvRows() {
    }

    /** One row: its 1-based starting line and its fields, unquoted. */
    record Row(int line, List<String> fields) {
        boolean isBlank() {
            return fields.stream().allMatch(String::isBlank);
        }

        String first() {
            return fields.isEmpty() ? "" : fields.get(0).trim();
        }

        String get(int index) {
            return index < 0 || index >= fields.size() ? "" : fields.get(index).trim();
        }
    }

    /** @throws DataFetchException naming the file and the line of the record that is not valid CSV */
    static List<Row> parse(String text, String file) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text; // byte-order mark
        List<Row> rows = new ArrayList<>();
        long line = 1; // where the record being read starts
        try (CSVParser parser = CSVParser.parse(body, FORMAT)) {
            for (Iterator<CSVRecord> it = parser.iterator(); it.hasNext(); line = parser.getCurrentLineNumber() + 1) {
                rows.add(new Row(Math.toIntExact(line), it.next().toList()));
            }
        } catch (IOException | UncheckedIOException e) {
            String detail = endsInsideQuotes(body) ? "a quoted field is never closed: the file looks cut off"
                    : "not valid CSV: " + (e.getCause() != null ? e.getCause() : e).getMessage();
            throw DataFetchException.malformed(SchwabIds.SOURCE, file, "line " + line, null, detail, e);
        }
        return rows;
    }

    private static boolean endsInsideQuotes(String body) {
        try (CSVParser parser = CSVParser.parse(body, LENIENT_EOF)) {
            parser.forEach(r -> { });
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
