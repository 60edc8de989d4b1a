package io.foliosync.examples.cli;

import io.foliosync.connectors.api.json.Json;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints rows as an aligned table, RFC 4180 CSV or a JSON array of objects. */
enum OutputFormat {
    TABLE, CSV, JSON;

    void print(PrintWriter out, List<String> columns, List<List<Object>> rows) {
        switch (this) {
            case TABLE -> table(out, columns, rows);
            case CSV -> csv(out, columns, rows);
            case JSON -> json(out, columns, rows);
        }
        out.flush();
    }

    private static void table(PrintWriter out, List<String> columns, List<List<Object>> rows) {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
        }
        List<List<String>> text = new ArrayList<>();
        for (List<Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String cell = text(row.get(i));
                widths[i] = Math.max(widths[i], cell.length());
                cells.add(cell);
            }
            text.add(cells);
        }
        line(out, columns, widths, rows);
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

    private static void csv(PrintWriter out, List<String> columns, List<List<Object>> rows) {
        out.println(String.join(",", columns.stream().map(OutputFormat::csvCell).toList()));
        for (List<Object> row : rows) {
            out.println(String.join(",", row.stream().map(OutputFormat::text).map(OutputFormat::csvCell).toList()));
        }
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static void json(PrintWriter out, List<String> columns, List<List<Object>> rows) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (List<Object> row : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.get(i);
                o.put(columns.get(i), v instanceof BigDecimal || v instanceof Long || v instanceof Integer
                        || v instanceof Boolean || v == null ? v : v.toString());
            }
            objects.add(o);
        }
        out.println(Json.moshi().adapter(Object.class).indent("  ").toJson(objects));
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().scale() < 0 ? d.setScale(0).toPlainString() : d.stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }
}
