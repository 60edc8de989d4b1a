package io.foliosync.connectors.schwab.internal;

import io.foliosync.connectors.api.DataFetchException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text (RFC 4180: quoted fields, doubled quotes, separators and line breaks inside quotes) into
 * rows that remember the line they start on. Schwab's exports end rows with a stray comma at times; an
 * empty last field is kept and ignored by the parsers.
 */
final class CsvRows {
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

    static List<Row> parse(String text, String file) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        boolean quoted = false;
        boolean fieldWasQuoted = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0; // byte-order mark
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                i++;
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.length() > 0 && !field.toString().isBlank()) {
                        throw DataFetchException.malformed(SchwabIds.SOURCE, file, "line " + line,
                                "column " + (fields.size() + 1), "a quote inside an unquoted field", null);
                    }
                    field.setLength(0);
                    quoted = true;
                    fieldWasQuoted = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldWasQuoted = false;
                }
                case '\r' -> {
                    // handled with the following \n; a lone \r ends the row too
                    if (i + 1 < n && text.charAt(i + 1) == '\n') {
                        break;
                    }
                    fields.add(field.toString());
                    rows.add(new Row(rowLine, List.copyOf(fields)));
                    fields.clear();
                    field.setLength(0);
                    fieldWasQuoted = false;
                    line++;
                    rowLine = line;
                }
                case '\n' -> {
                    fields.add(field.toString());
                    rows.add(new Row(rowLine, List.copyOf(fields)));
                    fields.clear();
                    field.setLength(0);
                    fieldWasQuoted = false;
                    line++;
                    rowLine = line;
                }
                default -> {
                    if (fieldWasQuoted && !Character.isWhitespace(c)) {
                        throw DataFetchException.malformed(SchwabIds.SOURCE, file, "line " + line,
                                "column " + (fields.size() + 1), "text after a closing quote", null);
                    }
                    if (!fieldWasQuoted) {
                        field.append(c);
                    }
                }
            }
            i++;
        }
        if (quoted) {
            throw DataFetchException.malformed(SchwabIds.SOURCE, file, "line " + rowLine,
                    "column " + (fields.size() + 1), "a quoted field is never closed", null);
        }
        if (field.length() > 0 || !fields.isEmpty() || fieldWasQuoted) {
            fields.add(field.toString());
            rows.add(new Row(rowLine, List.copyOf(fields)));
        }
        return rows;
    }
}
