package io.foliosync.examples.cli;

import io.foliosync.connectors.api.json.Json;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints rows as an aligned table, RFC 4180 CSV or a JSON array of objects. Text in the rows can come from a
 * statement or a server, so every format is safe for where it ends up: a table goes to a terminal, where control
 * characters are shown escaped ({@link #terminalSafe}) instead of moving the cursor or retitling the window; a CSV
 * goes to a spreadsheet, where a text cell that would be evaluated as a formula is neutralised
 * ({@link #spreadsheetSafe}) unless the user asks for the raw text.
 */
enum OutputFormat {
    TABLE, CSV, JSON;

    /**
     * The first characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) evaluate a cell, as OWASP's
     * "CSV Injection" lists them: a formula ({@code =}, {@code +}, {@code -}, {@code @}) and tab and carriage return,
     * which some spreadsheets skip before looking for one.
     */
    private static final String FORMULA_TRIGGERS = "=+-@\t\r";

    /**
     * A number a command formatted itself ({@code stripTrailingZeros().toPlainString()}): a table and JSON show it
     * as the text they always did, and CSV knows it is a number, not text a statement supplied, so a negative one
     * stays a number a spreadsheet can add up.
     */
    record FormattedNumber(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** @return {@code v} as a plain number the formats treat as a number, {@code null} for {@code null} */
    static FormattedNumber number(BigDecimal v) {
        return v == null ? null : new FormattedNumber(v.stripTrailingZeros().toPlainString());
    }

    void print(PrintWriter out, List<String> columns, List<List<Object>> rows) {
        print(out, columns, rows, false);
    }

    /**
     * @param raw CSV only: write text cells exactly as stored ({@code --raw}), formula triggers included; a table is
     *            always escaped, as raw control characters would act on the terminal rather than show
     */
    void print(PrintWriter out, List<String> columns, List<List<Object>> rows, boolean raw) {
        switch (this) {
            case TABLE -> table(out, columns, rows);
            case CSV -> csv(out, columns, rows, raw);
            case JSON -> json(out, columns, rows);
        }
        out.flush();
    }

    private static void table(PrintWriter out, List<String> columns, List<List<Object>> rows) {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = terminalSafe(columns.get(i)).length();
        }
        List<List<String>> text = new ArrayList<>();
        for (List<Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String cell = terminalSafe(text(row.get(i)));
                widths[i] = Math.max(widths[i], cell.length());
                cells.add(cell);
            }
            text.add(cells);
        }
        line(out, columns.stream().map(OutputFormat::terminalSafe).toList(), widths, rows);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        out.println(rule);
        for (int r = 0; r < text.size(); r++) {
            line(out, text.get(r), widths, List.of(rows.get(r)));
        }
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths, List<List<Object>> sample) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            boolean numeric = !sample.isEmpty() && sample.get(0).size() > i
                    && (sample.get(0).get(i) instanceof Number);
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            sb.append(i == 0 ? "" : "  ").append(numeric ? pad + cell : cell + (i == cells.size() - 1 ? "" : pad));
        }
        out.println(sb.toString().stripTrailing());
    }

    private static void csv(PrintWriter out, List<String> columns, List<List<Object>> rows, boolean raw) {
        out.println(String.join(",", columns.stream().map(OutputFormat::csvCell).toList()));
        for (List<Object> row : rows) {
            List<String> cells = new ArrayList<>(row.size());
            for (Object v : row) {
                // only text is neutralised: a number (a negative amount starts with '-') is written as the number
                boolean number = v instanceof Number || v instanceof FormattedNumber;
                cells.add(csvCell(raw || number ? text(v) : spreadsheetSafe(text(v))));
            }
            out.println(String.join(",", cells));
        }
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * @return {@code text} with a leading {@code '} when a spreadsheet would evaluate it (OWASP's recommendation:
     *         the cell then shows as the text it is, and the quote is not part of the displayed value)
     */
    static String spreadsheetSafe(String text) {
        return !text.isEmpty() && FORMULA_TRIGGERS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    /**
     * @return {@code text} with every character a terminal would act on rather than show written as an escape:
     *         C0 controls (ESC, CR, BEL, backspace, tab, newline...), DEL and C1 controls (CSI U+009B...) as
     *         {@code \xHH}, and the bidirectional overrides and isolates that reorder what is shown as
     *         a backslash, {@code u} and the four hex digits (U+202E shows as those six characters). Printable text,
     *         accents and other scripts included, is unchanged.
     */
    static String terminalSafe(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ? String.format("\\x%02X", (int) c)
                    : (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ? String.format("\\u%04X", (int) c)
                    : null;
            if (escaped != null && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb != null) {
                if (escaped != null) {
                    sb.append(escaped);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static void json(PrintWriter out, List<String> columns, List<List<Object>> rows) {
        out.println(Json.moshi().adapter(Object.class).indent("  ").toJson(objects(columns, rows)));
    }

    /** @return each row as a JSON object by column name: numbers and booleans as themselves, the rest as text */
    static List<Map<String, Object>> objects(List<String> columns, List<List<Object>> rows) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (List<Object> row : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.get(i);
                o.put(columns.get(i), v instanceof BigDecimal || v instanceof Long || v instanceof Integer
                        || v instanceof Boolean || v == null ? v
                        : v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : v.toString());
            }
            objects.add(o);
        }
        return objects;
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof List<?> l) {
            // a list of sentences in one cell (JSON keeps it a list)
            return String.join("; ", l.stream().map(String::valueOf).toList());
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().scale() < 0 ? d.setScale(0).toPlainString() : d.stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }
}
