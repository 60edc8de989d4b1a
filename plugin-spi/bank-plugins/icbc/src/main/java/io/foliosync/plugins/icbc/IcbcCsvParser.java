package io.foliosync.plugins.icbc;

import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.TransactionType;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an ICBC personal account statement export (CSV with Chinese headers). Lines above the header row (the
 * first row holding the mapped date header) are the preamble, where the card number (卡号/账号) is looked for;
 * the data ends at a blank row or a footer row (合计, 说明, 注, 温馨提示). ICBC pads values with tabs and
 * spaces; they are trimmed. Amounts may carry thousands separators.
 */
final class IcbcCsvParser {
    private static final Pattern DATE = Pattern.compile("(\\d{4})[-/.年]?(\\d{1,2})[-/.月]?(\\d{1,2})日?(?:[ T].*)?");
    private static final Pattern CARD = Pattern.compile("(?:卡号|账号|帐号)\\s*[:：]?\\s*([0-9*\\s]{4,})");
    private static final List<String> FOOTER = List.of("合计", "说明", "注:", "注：", "温馨提示");
    private static final Map<String, String> CURRENCIES = Map.of("人民币", "CNY", "RMB", "CNY", "美元", "USD",
            "港币", "HKD", "港元", "HKD", "欧元", "EUR", "日元", "JPY", "英镑", "GBP", "澳元", "AUD");

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

    Statement parse(String text) {
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(text);
        } catch (Csv.UnclosedQuoteException e) {
            throw malformed(e.line, null, e.getMessage() + ": the file looks truncated; export it again");
        }
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
        Csv.Row header = rows.get(headerAt);
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
        SourceIds ids = new SourceIds();
        List<BankTransaction> out = new ArrayList<>();
        for (Csv.Row row : rows.subList(headerAt + 1, rows.size())) {
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
        Optional<Balance> latest = Statement.newestBalanceLine(out, false) // ICBC lists oldest first
                .map(t -> new Balance(accountId, t.balanceAfter().orElseThrow(), Optional.empty(), t.currency(),
                        t.postedDate().atStartOfDay(ZoneOffset.ofHours(8)).toInstant()));
        String currency = out.stream().map(BankTransaction::currency).findFirst().orElse("CNY");
        return new Statement(file, accountId, AccountType.CHECKING, currency, out, latest);
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

    private String accountId(List<Csv.Row> preamble) {
        for (Csv.Row row : preamble) {
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

    private int required(String field, Csv.Row header) {
        return mapping.index(field, header.fields()).orElseThrow(() -> malformed(header.line(), null,
                "has no " + field + " column (" + String.join(" or ", mapping.headers(field)) + "); the header is "
                        + header.fields() + "; set column_mapping for this layout"));
    }

    private BigDecimal incomeMinusExpense(Csv.Row row, Optional<Integer> income, Optional<Integer> expense,
                                          List<String> names) {
        Optional<BigDecimal> in = income.flatMap(i -> amount(row, i, names.get(i)));
        Optional<BigDecimal> outgo = expense.flatMap(i -> amount(row, i, names.get(i)));
        if (in.isEmpty() && outgo.isEmpty()) {
            throw malformed(row.line(), income.map(names::get).orElse(names.get(expense.orElseThrow())),
                    "the line has neither income nor expense");
        }
        return in.orElse(BigDecimal.ZERO).abs().subtract(outgo.orElse(BigDecimal.ZERO).abs());
    }

    private Optional<BigDecimal> amount(Csv.Row row, int index, String field) {
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

    private LocalDate date(Csv.Row row, int index, String field) {
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

    private String currency(Csv.Row row, int index, String field) {
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

    private DataFetchException malformed(int line, String field, String detail) {
        return DataFetchException.malformed(source, file.toString(), "line " + line, field, detail, null);
    }
}
