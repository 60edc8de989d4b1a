package io.foliosync.plugins.template;

import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the template's statement format, a CSV with the header {@code date,description,amount,balance}:
 * ISO dates ({@code 2024-01-31}), signed amounts (negative = money out), an optional running balance, and
 * {@code "quoted, fields"} where a value holds a comma.
 *
 * <p>Source ids: the format has no transaction id, so each line gets {@code h:} and the first 32 hex digits of
 * the SHA-256 of {@code date|amount|description|balance|occurrence}, where {@code occurrence} counts earlier
 * lines of the file with the same four values. Two identical purchases on one day stay two rows, and
 * importing the same file twice gives the same ids. Replace this with the bank's own id when it has one.
 */
final class SimpleCsv {
    static final String HEADER = "date,description,amount,balance";

    private SimpleCsv() {
    }

    /** @throws DataFetchException naming the file, the line and the field for anything it cannot read */
    static List<BankTransaction> read(String source, Path file, String accountId, String currency) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataFetchException(source, file.toString(), "cannot read the file: " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().replace("\uFEFF", "").equalsIgnoreCase(HEADER)) {
            throw error(source, file, 1, null, "the first line must be the header '" + HEADER + "'");
        }
        Map<String, Integer> seen = new HashMap<>();
        List<BankTransaction> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = split(lines.get(i));
            if (f == null || f.size() < 3) {
                throw error(source, file, lineNo, null, "expected 4 columns (" + HEADER + "): the file looks truncated");
            }
            LocalDate date;
            try {
                date = LocalDate.parse(f.get(0).strip());
            } catch (DateTimeParseException e) {
                throw error(source, file, lineNo, "date", "'" + f.get(0) + "' is not a date like 2024-01-31");
            }
            String description = f.get(1).strip();
            BigDecimal amount = number(source, file, lineNo, "amount", f.get(2));
            Optional<BigDecimal> balance = f.size() > 3 && !f.get(3).isBlank()
                    ? Optional.of(number(source, file, lineNo, "balance", f.get(3))) : Optional.empty();
            String key = date + "|" + amount.stripTrailingZeros().toPlainString() + "|" + description + "|"
                    + balance.map(b -> b.stripTrailingZeros().toPlainString()).orElse("");
            int occurrence = seen.merge(key, 1, Integer::sum) - 1;
            out.add(new BankTransaction("h:" + sha256(key + "|" + occurrence).substring(0, 32), accountId, date, amount,
                    currency, description, Optional.empty(), balance, BankTransaction.typeForSign(amount), Optional.empty()));
        }
        return out;
    }

    /** @return the fields of one line, or null when a quote is left open (a cut-off line) */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return quoted ? null : fields;
    }

    private static BigDecimal number(String source, Path file, int line, String field, String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw error(source, file, line, field, "'" + text + "' is not a number like -12.34");
        }
    }

    private static DataFetchException error(String source, Path file, int line, String field, String detail) {
        return DataFetchException.malformed(source, file.toString(), "line " + line, field, detail, null);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
