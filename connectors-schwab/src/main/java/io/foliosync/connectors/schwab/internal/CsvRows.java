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
            List<List<String>> lenient = readToEof(body);
            if (lenient != null && !lenient.isEmpty()) {
                // Lenient at the end of input: the last record is the cut one, its last field the open quote.
                int column = lenient.get(lenient.size() - 1).size();
                throw DataFetchException.malformed(SchwabIds.SOURCE, file, "line " + line,
                        "column " + column + headerName(lenient, column),
                        "a quoted field is never closed: the file looks cut off; download the export again", e);
            }
            throw DataFetchException.malformed(SchwabIds.SOURCE, file, "line " + line, null,
                    "not valid CSV: " + (e.getCause() != null ? e.getCause() : e).getMessage(), e);
        }
        return rows;
    }

    /**
     * Reads rows only up to the first non-blank one, for telling a file's kind: a file broken further down
     * then fails the import of its own kind, not the listing of a folder for the other kind.
     *
     * @return the leading blank rows and the first non-blank row; fewer when the file has no such row
     * @throws DataFetchException when that first row itself is not valid CSV
     */
    static List<Row> head(String text, String file) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<Row> rows = new ArrayList<>();
        long line = 1;
        try (CSVParser parser = CSVParser.parse(body, FORMAT)) {
            for (Iterator<CSVRecord> it = parser.iterator(); it.hasNext(); line = parser.getCurrentLineNumber() + 1) {
                Row row = new Row(Math.toIntExact(line), it.next().toList());
                rows.add(row);
                if (!row.isBlank()) {
                    break;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw DataFetchException.malformed(SchwabIds.SOURCE, file, "line " + line, null,
                    "not valid CSV: " + (e.getCause() != null ? e.getCause() : e).getMessage(), e);
        }
        return rows;
    }

    /** Both Schwab exports have a Symbol column: the nearest such row above the cut is its header. */
    private static String headerName(List<List<String>> records, int column) {
        for (int i = records.size() - 2; i >= 0; i--) {
            List<String> r = records.get(i);
            if (r.size() >= column && r.stream().anyMatch(f -> f.trim().equalsIgnoreCase("Symbol"))) {
                return " (" + r.get(column - 1).trim() + ")";
            }
        }
        return "";
    }

    /** @return every record when the text is valid CSV but for a quote left open at its end, else null */
    private static List<List<String>> readToEof(String body) {
        try (CSVParser parser = CSVParser.parse(body, LENIENT_EOF)) {
            List<List<String>> out = new ArrayList<>();
            parser.forEach(r -> out.add(r.toList()));
            return out;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }
}
