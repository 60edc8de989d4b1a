package io.foliosync.connectors.schwab.internal;

import io.foliosync.connectors.api.DataFetchException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the values of Schwab's CSV exports; every failure names file, line and column. */
final class CsvValues {
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/uuuu", Locale.ROOT);
    private static final Pattern DATE_AS_OF =
            Pattern.compile("(\\d{1,2}/\\d{1,2}/\\d{4})(?:\\s+as\\s+of\\s+(\\d{1,2}/\\d{1,2}/\\d{4}))?");

    private CsvValues() {
    }

    /** Where a value sits, for messages. */
    record Cell(String file, int line, int columnIndex, String columnName) {
        DataFetchException error(String detail) {
            return DataFetchException.malformed(SchwabIds.SOURCE, file, "line " + line,
                    "column " + (columnIndex + 1) + " (" + columnName + ")", detail, null);
        }
    }

    /**
     * Reads {@code $1,234.56}, {@code -$3320.05}, {@code ($12.00)}, {@code 45}, {@code 12.5%}; {@code --},
     * {@code N/A} and empty text are absent.
     */
    static Optional<BigDecimal> amount(String raw, Cell cell) {
        String s = raw == null ? "" : raw.trim();
        if (s.isEmpty() || s.equals("--") || s.equalsIgnoreCase("N/A") || s.equals("-")) {
            return Optional.empty();
        }
        boolean negative = false;
        if (s.startsWith("(") && s.endsWith(")")) {
            negative = true;
            s = s.substring(1, s.length() - 1).trim();
        }
        if (s.startsWith("-")) {
            negative = !negative;
            s = s.substring(1).trim();
        } else if (s.startsWith("+")) {
            s = s.substring(1).trim();
        }
        if (s.startsWith("$")) {
            s = s.substring(1).trim();
        }
        if (s.startsWith("-")) { // $-12.00
            negative = !negative;
            s = s.substring(1).trim();
        }
        if (s.endsWith("%")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        s = s.replace(",", "");
        if (!s.matches("\\d+(\\.\\d*)?|\\.\\d+")) {
            throw cell.error("not an amount: '" + raw.trim() + "'");
        }
        BigDecimal value = new BigDecimal(s);
        return Optional.of(negative ? value.negate() : value);
    }

    /** @return the posting date and the "as of" date (the posting date when there is none) */
    static List<LocalDate> dateAsOf(String raw, Cell cell) {
        String s = raw == null ? "" : raw.trim();
        Matcher m = DATE_AS_OF.matcher(s);
        if (!m.matches()) {
            throw cell.error("not a date (MM/DD/YYYY or MM/DD/YYYY as of MM/DD/YYYY): '" + s + "'");
        }
        try {
            LocalDate posted = LocalDate.parse(pad(m.group(1)), US_DATE);
            LocalDate asOf = m.group(2) == null ? posted : LocalDate.parse(pad(m.group(2)), US_DATE);
            return List.of(posted, asOf);
        } catch (DateTimeParseException e) {
            throw cell.error("not a calendar date: '" + s + "'");
        }
    }

    private static String pad(String usDate) {
        String[] p = usDate.split("/");
        return String.format(Locale.ROOT, "%02d/%02d/%s", Integer.parseInt(p[0]), Integer.parseInt(p[1]), p[2]);
    }

    /** @return the header's column index for the first of {@code names} found, or -1 */
    static int column(List<String> header, String... names) {
        for (String name : names) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).trim().equalsIgnoreCase(name)) {
                    return i;
                }
            }
        }
        return -1;
    }
}
