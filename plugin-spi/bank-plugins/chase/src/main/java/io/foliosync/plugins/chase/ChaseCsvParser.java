package io.foliosync.plugins.chase;

import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankStatement;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.StatementLineIds;
import io.foliosync.connectors.api.TransactionType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * Reads Chase's CSV activity export in its two layouts:
 * <ul>
 *   <li>checking and savings: {@code Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #}
 *       (rows usually end with one extra empty field);</li>
 *   <li>credit card: {@code Transaction Date,Post Date,Description,Category,Type,Amount,Memo}.</li>
 * </ul>
 * Dates are {@code MM/dd/yyyy}; amounts are signed (purchases negative). Chase's CSV carries no transaction
 * id, so lines get {@link StatementLineIds} hashes; the account id comes from the file name Chase gives the
 * download ({@code Chase1234_Activity_20240131.CSV} → {@code chase-1234}).
 *
 * <p>Apache Commons CSV splits the text (quotes, doubled quotes, commas and line breaks inside quotes); this
 * class knows Chase's layouts. The plugin jar carries Commons CSV relocated to
 * {@code io.foliosync.plugins.chase.shaded.csv} (see the pom), since the host shows plugins only the SDK API.
 */
final class ChaseCsvParser {
    static final List<String> CHECKING = List.of("Details", "Posting Date", "Description", "Amount", "Type", "Balance",
            "Check or Slip #");
    static final List<String> CREDIT = List.of("Transaction Date", "Post Date", "Description", "Category", "Type",
            "Amount", "Memo");
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("M/d/uuuu", Locale.ROOT);
    /** Blank lines stay records so that every record's line is counted right; they are skipped below. */
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(true).get();

    /** A record and the line it starts on. */
    private record Row(long line, CSVRecord record) {
        String get(int index) {
            return index < record.size() ? record.get(index).trim() : "";
        }

        boolean blank() {
            return record.stream().allMatch(String::isBlank);
        }
    }

    private final String source;
    private final Path file;
    private final String accountId;

    ChaseCsvParser(String source, Path file, String accountId) {
        this.source = source;
        this.file = file;
        this.accountId = accountId;
    }

    BankStatement parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<Row> rows = rows(text.startsWith("\uFEFF") ? text.substring(1) : text);
        if (rows.isEmpty()) {
            throw malformed(1, null, "is empty: expected a Chase CSV activity export");
        }
        Row header = rows.get(0);
        List<String> names = header.record().stream().map(String::trim).toList();
        boolean checking = startsWith(names, CHECKING);
        boolean credit = startsWith(names, CREDIT);
        if (!checking && !credit) {
            throw malformed(header.line(), null, "is not a Chase CSV activity export: the header is " + names
                    + " but Chase writes " + CHECKING + " (checking, savings) or " + CREDIT + " (credit card)");
        }
        StatementLineIds ids = new StatementLineIds();
        List<BankTransaction> out = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
            if (row.record().size() < names.size()) {
                throw malformed(row.line(), null, "has " + row.record().size() + " of " + names.size()
                        + " columns: the file looks truncated or edited; download it again");
            }
            out.add(checking ? checkingRow(row, ids) : creditRow(row, ids));
        }
        Optional<Balance> balance = checking ? BankTransaction.newestBalanceLine(out, true) // Chase lists newest first
                .map(t -> new Balance(accountId, t.balanceAfter().orElseThrow(), Optional.empty(), "USD",
                        t.postedDate().atStartOfDay(ZoneOffset.UTC).toInstant()))
                : Optional.empty();
        return new BankStatement(file, accountId, checking ? AccountType.CHECKING : AccountType.CREDIT_CARD, "USD", out, balance);
    }

    private BankTransaction checkingRow(Row row, StatementLineIds ids) {
        LocalDate posted = date(row, 1, "Posting Date");
        String description = row.get(2);
        BigDecimal amount = amount(row, 3, "Amount");
        String type = row.get(4);
        Optional<BigDecimal> balance = row.get(5).isEmpty() ? Optional.empty() : Optional.of(amount(row, 5, "Balance"));
        String check = row.get(6);
        if (!check.isEmpty()) {
            description = description + " (check " + check + ")";
        }
        return new BankTransaction(ids.next(posted, amount, description, balance), accountId, posted, amount, "USD",
                description, Optional.empty(), balance, checkingType(type, amount),
                Optional.of(type.isEmpty() ? row.get(0) : type));
    }

    private BankTransaction creditRow(Row row, StatementLineIds ids) {
        LocalDate posted = date(row, 1, "Post Date");
        String description = row.get(2);
        String type = row.get(4);
        BigDecimal amount = amount(row, 5, "Amount");
        String memo = row.get(6);
        if (!memo.isEmpty()) {
            description = description + " / " + memo;
        }
        return new BankTransaction(ids.next(posted, amount, description, Optional.empty()), accountId, posted, amount,
                "USD", description, Optional.empty(), Optional.empty(), creditType(type, amount),
                type.isEmpty() ? Optional.empty() : Optional.of(type));
    }

    /** @return the non-blank records, each with the line it starts on; a file cut inside quotes is refused */
    private List<Row> rows(String text) {
        List<Row> rows = new ArrayList<>();
        long line = 1;
        try (CSVParser parser = CSVParser.parse(text, CSV)) {
            for (Iterator<CSVRecord> it = parser.iterator(); it.hasNext(); line = parser.getCurrentLineNumber() + 1) {
                Row row = new Row(line, it.next());
                if (!row.blank()) {
                    rows.add(row);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            String problem = cutInsideQuotes(text) ? "a quoted field is never closed"
                    : "is not valid CSV (" + (e.getCause() == null ? e : e.getCause()).getMessage() + ")";
            throw malformed(line, null, problem + ": the file looks truncated; download it again");
        }
        return rows;
    }

    /** @return whether the text reads when a file may end inside quotes, so it was cut off there */
    private static boolean cutInsideQuotes(String text) {
        try (CSVParser parser = CSVParser.parse(text, CSV.builder().setLenientEof(true).get())) {
            return parser.stream().count() >= 0;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    static TransactionType checkingType(String type, BigDecimal amount) {
        String t = type.toUpperCase(Locale.ROOT);
        if (t.equals("FEE_TRANSACTION")) {
            return TransactionType.FEE;
        }
        if (t.equals("ACCT_XFER") || t.startsWith("WIRE_") || t.startsWith("QUICKPAY") || t.equals("PARTNERFI_TO_CHASE")
                || t.equals("CHASE_TO_PARTNERFI")) {
            return amount.signum() < 0 ? TransactionType.TRANSFER_OUT : TransactionType.TRANSFER_IN;
        }
        return BankTransaction.typeForSign(amount);
    }

    static TransactionType creditType(String type, BigDecimal amount) {
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "PAYMENT" -> TransactionType.TRANSFER_IN;
            case "FEE" -> TransactionType.FEE;
            default -> BankTransaction.typeForSign(amount);
        };
    }

    private static boolean startsWith(List<String> names, List<String> layout) {
        if (names.size() < layout.size()) {
            return false;
        }
        for (int i = 0; i < layout.size(); i++) {
            if (!names.get(i).equalsIgnoreCase(layout.get(i))) {
                return false;
            }
        }
        return true;
    }

    private LocalDate date(Row row, int index, String field) {
        try {
            return LocalDate.parse(row.get(index), US_DATE);
        } catch (DateTimeParseException e) {
            throw malformed(row.line(), field, "'" + row.get(index) + "' is not a date (MM/DD/YYYY)");
        }
    }

    private BigDecimal amount(Row row, int index, String field) {
        String s = row.get(index).replace(",", "").replace("$", "");
        try {
            return new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw malformed(row.line(), field, "'" + row.get(index) + "' is not an amount");
        }
    }

    private DataFetchException malformed(long line, String field, String detail) {
        return DataFetchException.malformed(source, file.toString(), "line " + line, field, detail, null);
    }
}
