package io.foliosync.plugins.icbc;

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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an ICBC personal account statement export (CSV with Chinese headers). Lines above the header row (the
 * first row holding the mapped date header) are the preamble, where the card number (卡号/账号) is looked for;
 * the data ends at a blank row or a footer row (合计, 说明, 注, 温馨提示). ICBC pads values with tabs and
 * spaces; they are trimmed. Amounts may carry thousands separators.
 *
 * <p>Apache Commons CSV splits the decoded text into records (quotes, doubled quotes, commas and line breaks
 * inside quotes); this class knows ICBC's layout. The plugin jar carries Commons CSV relocated to
 * {@code io.foliosync.plugins.icbc.shaded.csv} (see the pom), since the host shows plugins only the SDK API.
 */
final class IcbcCsvParser {
    private static final Pattern DATE = Pattern.compile("(\\d{4})[-/.年]?(\\d{1,2})[-/.月]?(\\d{1,2})日?(?:[ T].*)?");
    private static final Pattern CARD = Pattern.compile("(?:卡号|账号|帐号)\\s*[:：]?\\s*([0-9*\\s]{4,})");
    private static final List<String> FOOTER = List.of("合计", "说明", "注:", "注：", "温馨提示");
    private static final Map<String, String> CURRENCIES = Map.of("人民币", "CNY", "RMB", "CNY", "美元", "USD",
            "港币", "HKD", "港元", "HKD", "欧元", "EUR", "日元", "JPY", "英镑", "GBP", "澳元", "AUD");

    /** Blank lines stay records: they end the data, and every record's line is counted right. */
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(true).get();

    /** One record's fields and the line it starts on. */
    private record Row(long line, List<String> fields) {
        String get(int index) {
            return index < fields.size() ? fields.get(index).trim() : "";
        }

        boolean blank() {
            return fields.stream().allMatch(String::isBlank);
        }
    }

    private final String source;
    private final Path file;
    private final ColumnMapping mapping;
    private final Optional<String> accountOverride;

    IcbcCsvParser(String source, Path file, ColumnMapping mapping, Optional<String> accountOverride) {
        this.source = source;
        this.file = file;
        this.mapping = mapping;
        this.accountOverride = accountOverride;
    }

    /**
     * @param encoding {@code auto} (UTF-8 with or without BOM when the bytes are valid UTF-8, otherwise GBK
     *                 read as its superset GB18030), or a charset name such as {@code GBK}
     */
    static String decode(byte[] bytes, String encoding) {
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        }
        if (!encoding.equalsIgnoreCase("auto")) {
            return new String(bytes, Charset.forName(encoding));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, Charset.forName("GB18030"));
        }
    }

    BankStatement parse(String text) {
        List<Row> rows = records(text.startsWith("\uFEFF") ? text.substring(1) : text);
        int headerAt = -1;
        for (int i = 0; i < rows.size() && headerAt < 0; i++) {
            if (mapping.index("date", rows.get(i).fields()).isPresent()) {
                headerAt = i;
            }
        }
        if (headerAt < 0) {
            throw malformed(1, null, "has no header row with a date column (" + String.join(" or ", mapping.headers("date"))
                    + "): not an ICBC statement export, or set column_mapping for its layout");
        }
        Row header = rows.get(headerAt);
        List<String> names = header.fields();
        int date = mapping.index("date", names).orElseThrow();
        int description = required("description", header);
        Optional<Integer> place = mapping.index("place", names);
        Optional<Integer> income = mapping.index("income", names);
        Optional<Integer> expense = mapping.index("expense", names);
        Optional<Integer> amount = mapping.index("amount", names);
        if (income.isEmpty() && expense.isEmpty() && amount.isEmpty()) {
            throw malformed(header.line(), null, "has no amount column: expected income/expense columns ("
                    + String.join(", ", mapping.headers("income")) + " / " + String.join(", ", mapping.headers("expense"))
                    + ") or a signed amount column (" + String.join(", ", mapping.headers("amount"))
                    + "); the header is " + names + "; set column_mapping for this layout");
        }
        Optional<Integer> balance = mapping.index("balance", names);
        Optional<Integer> counterparty = mapping.index("counterparty", names);
        Optional<Integer> currencyCol = mapping.index("currency", names);
        int width = lastNonBlank(names) + 1;

        String accountId = accountId(rows.subList(0, headerAt));
        StatementLineIds ids = new StatementLineIds();
        List<BankTransaction> out = new ArrayList<>();
        for (Row row : rows.subList(headerAt + 1, rows.size())) {
            if (row.blank() || FOOTER.stream().anyMatch(f -> row.get(0).contains(f) || row.get(date).contains(f))) {
                break;
            }
            if (row.fields().size() < width) {
                throw malformed(row.line(), null, "has " + row.fields().size() + " of " + width
                        + " columns: the file looks truncated or edited; export it again");
            }
            LocalDate posted = date(row, date, names.get(date));
            BigDecimal value = income.isPresent() || expense.isPresent()
                    ? incomeMinusExpense(row, income, expense, names)
                    : amount(row, amount.get(), names.get(amount.get())).orElseThrow(() ->
                            malformed(row.line(), names.get(amount.get()), "the line has no amount"));
            Optional<BigDecimal> after = balance.flatMap(b -> amount(row, b, names.get(b)));
            String summary = row.get(description);
            String line = place.map(row::get).filter(p -> !p.isEmpty()).map(p -> summary + " " + p).orElse(summary);
            Optional<String> other = counterparty.map(row::get).filter(c -> !c.isEmpty());
            String currency = currencyCol.map(c -> currency(row, c, names.get(c))).orElse("CNY");
            out.add(new BankTransaction(ids.next(posted, value, line, after), accountId, posted, value, currency, line,
                    other, after, type(summary, value), summary.isEmpty() ? Optional.empty() : Optional.of(summary)));
        }
        Optional<Balance> latest = BankTransaction.newestBalanceLine(out, false) // ICBC lists oldest first
                .map(t -> new Balance(accountId, t.balanceAfter().orElseThrow(), Optional.empty(), t.currency(),
                        t.postedDate().atStartOfDay(ZoneOffset.ofHours(8)).toInstant()));
        String currency = out.stream().map(BankTransaction::currency).findFirst().orElse("CNY");
        return new BankStatement(file, accountId, AccountType.CHECKING, currency, out, latest);
    }

    private List<Row> records(String text) {
        List<Row> rows = new ArrayList<>();
        long line = 1; // where the record being read starts
        try (CSVParser parser = CSVParser.parse(text, CSV)) {
            Iterator<CSVRecord> records = parser.iterator();
            while (records.hasNext()) {
                rows.add(new Row(line, records.next().toList()));
                line = parser.getCurrentLineNumber() + 1;
            }
        } catch (IOException | UncheckedIOException e) {
            throw malformed(line, null, (endsInsideQuotes(text) ? "a quoted field is never closed"
                    : "is not valid CSV (" + (e.getCause() == null ? e : e.getCause()).getMessage() + ")")
                    + ": the file looks truncated; export it again");
        }
        return rows;
    }

    /** @return whether Commons CSV reads the text once the end may fall inside quotes: then the file was cut there */
    private static boolean endsInsideQuotes(String text) {
        try (CSVParser parser = CSVParser.parse(text, CSV.builder().setLenientEof(true).get())) {
            return parser.getRecords() != null;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    static TransactionType type(String summary, BigDecimal amount) {
        if (summary.contains("利息") || summary.contains("结息")) {
            return TransactionType.INTEREST;
        }
        if (summary.contains("手续费") || summary.contains("年费") || summary.contains("服务费") || summary.contains("管理费")) {
            return TransactionType.FEE;
        }
        if (summary.contains("转账") || summary.contains("汇款") || summary.contains("转入") || summary.contains("转出")) {
            return amount.signum() < 0 ? TransactionType.TRANSFER_OUT : TransactionType.TRANSFER_IN;
        }
        return BankTransaction.typeForSign(amount);
    }

    private String accountId(List<Row> preamble) {
        for (Row row : preamble) {
            Matcher m = CARD.matcher(String.join(" ", row.fields()));
            if (m.find()) {
                String digits = m.group(1).replaceAll("[^0-9]", "");
                if (digits.length() >= 4) {
                    return IcbcPlugin.ID + "-" + digits.substring(digits.length() - 4);
                }
            }
        }
        return accountOverride.orElseGet(() -> IcbcPlugin.ID + "-" + file.getFileName().toString()
                .replaceFirst("\\.[^.]*$", "").replaceAll("[^\\p{L}\\p{N}]+", "-").toLowerCase(Locale.ROOT));
    }

    private int required(String field, Row header) {
        return mapping.index(field, header.fields()).orElseThrow(() -> malformed(header.line(), null,
                "has no " + field + " column (" + String.join(" or ", mapping.headers(field)) + "); the header is "
                        + header.fields() + "; set column_mapping for this layout"));
    }

    private BigDecimal incomeMinusExpense(Row row, Optional<Integer> income, Optional<Integer> expense,
                                          List<String> names) {
        Optional<BigDecimal> in = income.flatMap(i -> amount(row, i, names.get(i)));
        Optional<BigDecimal> outgo = expense.flatMap(i -> amount(row, i, names.get(i)));
        if (in.isEmpty() && outgo.isEmpty()) {
            throw malformed(row.line(), income.map(names::get).orElse(names.get(expense.orElseThrow())),
                    "the line has neither income nor expense");
        }
        return in.orElse(BigDecimal.ZERO).abs().subtract(outgo.orElse(BigDecimal.ZERO).abs());
    }

    private Optional<BigDecimal> amount(Row row, int index, String field) {
        String s = row.get(index).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
                .replaceAll("\\s", "");
        if (s.isEmpty() || s.equals("-") || s.equals("--")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(s.startsWith("+") ? s.substring(1) : s));
        } catch (NumberFormatException e) {
            throw malformed(row.line(), field, "'" + row.get(index) + "' is not an amount");
        }
    }

    private LocalDate date(Row row, int index, String field) {
        Matcher m = DATE.matcher(row.get(index));
        if (m.matches()) {
            try {
                return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            } catch (java.time.DateTimeException e) {
                // reported below
            }
        }
        throw malformed(row.line(), field, "'" + row.get(index) + "' is not a date (such as 2023-01-05 or 20230105)");
    }

    private String currency(Row row, int index, String field) {
        String s = row.get(index);
        if (s.isEmpty()) {
            return "CNY";
        }
        String code = CURRENCIES.get(s);
        if (code != null) {
            return code;
        }
        if (s.matches("[A-Za-z]{3}")) {
            return s.toUpperCase(Locale.ROOT);
        }
        throw malformed(row.line(), field, "'" + s + "' is not a currency this plugin knows (" + CURRENCIES.keySet()
                .stream().sorted().toList() + " or an ISO code)");
    }

    private static int lastNonBlank(List<String> names) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (!names.get(i).isBlank()) {
                return i;
            }
        }
        return 0;
    }

    private DataFetchException malformed(long line, String field, String detail) {
        return DataFetchException.malformed(source, file.toString(), "line " + line, field, detail, null);
    }
}
