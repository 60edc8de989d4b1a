package io.foliosync.plugins.template;

import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.StatementLineIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the template's statement format, a CSV with the header {@code date,description,amount,balance}:
 * ISO dates ({@code 2024-01-31}), signed amounts (negative = money out), an optional running balance, and
 * {@code "quoted, fields"} where a value holds a comma.
 *
 * <p>Apache Commons CSV does the splitting (quotes, doubled quotes, line breaks inside quotes); the plugin jar
 * carries it, relocated, because the host shows a plugin nothing but the SDK API (see this module's pom and
 * docs/plugin_development.md, "Bundling a library").
 *
 * <p>Source ids: the format has no transaction id, so each line gets the SDK's documented hash,
 * {@link StatementLineIds}: {@code h:} and the first 32 hex digits of the SHA-256 of
 * {@code date|amount|description|balance|occurrence}, where {@code occurrence} counts earlier lines of the file
 * with the same four values. Two identical purchases on one day stay two rows, and importing the same file
 * twice gives the same ids. Use the bank's own id instead when it has one.
 */
final class SimpleCsv {
    static final String HEADER = "date,description,amount,balance";
    /** The first record names the columns; blank lines stay records so that line numbers stay right. */
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true)
            .setIgnoreEmptyLines(false)
            .get();

    private SimpleCsv() {
    }

    /** @throws DataFetchException naming the file, the line and the field for anything it cannot read */
    static List<BankTransaction> read(String source, Path file, String accountId, String currency) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataFetchException(source, file.toString(), "cannot read the file: " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) { // a byte-order mark, as spreadsheet programs write
            text = text.substring(1);
        }
        StatementLineIds ids = new StatementLineIds();
        List<BankTransaction> out = new ArrayList<>();
        long line = 1; // the line the record being read starts on
        try (CSVParser csv = CSVParser.parse(text, FORMAT)) {
            List<String> header = csv.getHeaderNames().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            if (!String.join(",", header).equals(HEADER)) {
                throw error(source, file, 1, null, "the first line must be the header '" + HEADER + "'");
            }
            line = csv.getCurrentLineNumber() + 1;
            for (Iterator<CSVRecord> it = csv.iterator(); it.hasNext(); line = csv.getCurrentLineNumber() + 1) {
                CSVRecord r = it.next();
                if (r.stream().allMatch(String::isBlank)) {
                    continue;
                }
                if (r.size() < 3) {
                    throw error(source, file, line, null, "expected 4 columns (" + HEADER + "): the file looks truncated");
                }
                LocalDate date = date(source, file, line, r.get("date"));
                String description = r.get("description").strip();
                BigDecimal amount = number(source, file, line, "amount", r.get("amount"));
                Optional<BigDecimal> balance = r.isSet("balance") && !r.get("balance").isBlank()
                        ? Optional.of(number(source, file, line, "balance", r.get("balance"))) : Optional.empty();
                out.add(new BankTransaction(ids.next(date, amount, description, balance), accountId, date, amount,
                        currency, description, Optional.empty(), balance, BankTransaction.typeForSign(amount),
                        Optional.empty()));
            }
        } catch (IOException | UncheckedIOException e) { // broken CSV, such as a quote left open by a cut-off file
            throw error(source, file, line, null, "expected 4 columns (" + HEADER + "): the file looks truncated");
        }
        return out;
    }

    private static LocalDate date(String source, Path file, long line, String text) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw error(source, file, line, "date", "'" + text + "' is not a date like 2024-01-31");
        }
    }

    private static BigDecimal number(String source, Path file, long line, String field, String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw error(source, file, line, field, "'" + text + "' is not a number like -12.34");
        }
    }

    private static DataFetchException error(String source, Path file, long line, String field, String detail) {
        return DataFetchException.malformed(source, file.toString(), "line " + line, field, detail, null);
    }
}
