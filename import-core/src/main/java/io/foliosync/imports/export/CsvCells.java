package io.foliosync.imports.export;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** Writing CSV cells: RFC 4180 quoting, and cells a spreadsheet would run as a formula defused. */
final class CsvCells {
    private CsvCells() {
    }

    /**
     * A cell starting with {@code = + - @}, a tab or a carriage return is a formula to Excel, LibreOffice and
     * Google Sheets (a description a source sent could be {@code =HYPERLINK(...)}): such a text cell gets a
     * leading apostrophe, which spreadsheets show as text and never run (OWASP's advice). Numbers are written
     * by {@link #number} and never start so: FolioSync stores quantities and amounts non-negative.
     */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        String safe = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
        return quote(safe);
    }

    static String text(Optional<String> value) {
        return text(value.orElse(null));
    }

    static String number(BigDecimal value) {
        return value == null ? "" : value.stripTrailingZeros().toPlainString();
    }

    static String number(Optional<BigDecimal> value) {
        return number(value.orElse(null));
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    static String row(List<String> cells) {
        return String.join(",", cells) + "\r\n";
    }
}
