package io.foliosync.plugins.icbc;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: fields separated by commas, optionally quoted with {@code "}, a doubled quote inside quotes
 * for a quote, line breaks allowed inside quotes. Each row remembers the line it starts on.
 */
final class Csv {
    /** One row of a CSV file. */
    record Row(int line, List<String> fields) {
        boolean blank() {
            return fields.stream().allMatch(String::isBlank);
        }

        String get(int index) {
            return index < fields.size() ? fields.get(index).trim() : "";
        }
    }

    /** A CSV file that ends inside a quoted field. */
    static final class UnclosedQuoteException extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        UnclosedQuoteException(int line) {
            super("a quoted field opened on line " + line + " is never closed");
            this.line = line;
        }
    }

    private Csv() {
    }

    static List<Row> parse(String text) throws UnclosedQuoteException {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean rowHasContent = false;
        int line = 1;
        int rowLine = 1;
        int quoteLine = 0;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                quoteLine = line;
                rowHasContent = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                rowHasContent = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                field.setLength(0);
                rows.add(new Row(rowLine, List.copyOf(fields)));
                fields.clear();
                rowHasContent = false;
                line++;
                rowLine = line;
            } else {
                field.append(c);
                rowHasContent = true;
            }
        }
        if (quoted) {
            throw new UnclosedQuoteException(quoteLine);
        }
        if (rowHasContent || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new Row(rowLine, List.copyOf(fields)));
        }
        return rows;
    }
}
