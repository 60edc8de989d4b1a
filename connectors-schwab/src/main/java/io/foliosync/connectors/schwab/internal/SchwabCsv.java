package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.schwab.internal.CsvRows.Row;
import io.foliosync.connectors.schwab.internal.CsvValues.Cell;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Parses the CSV files a user downloads from schwab.com: the positions export ("Positions for account …
 * as of …") and the transactions export ("Transactions for account …", dates "MM/DD/YYYY as of
 * MM/DD/YYYY"). A file is parsed completely before anything is returned, so a malformed row fails the
 * whole file (naming file, line and column) and nothing is half-imported.
 */
@API(status = INTERNAL, since = "0.1")
public final class SchwabCsv {
    /** How the exports write an option: root, expiry, strike, C or P ({@code SMPL 04/17/2025 100.00 C}). */
    private static final java.util.regex.Pattern OPTION_SYMBOL =
            java.util.regex.Pattern.compile("\\S+ \\d{2}/\\d{2}/\\d{4} [\\d.]+ [CP]");

    /** The kind of export a file holds, told from its first lines. */
    public enum Kind { POSITIONS, TRANSACTIONS, UNKNOWN }

    private static final Pattern PREAMBLE = Pattern.compile(
            "(Positions|Transactions)\\s+for\\s+account\\s+(.*?)\\s+as\\s+of\\s+(.*)", Pattern.CASE_INSENSITIVE);
    private static final String DEFAULT_ACCOUNT = "csv:schwab";

    private SchwabCsv() {
    }

    /** @return what kind of export {@code file} is, judged by its preamble or header */
    public static Kind kind(Path file) throws IOException {
        List<Row> rows = CsvRows.head(read(file), file.toString());
        for (Row row : rows) {
            if (row.isBlank()) {
                continue;
            }
            Matcher m = PREAMBLE.matcher(row.first());
            if (m.matches()) {
                return m.group(1).equalsIgnoreCase("Positions") ? Kind.POSITIONS : Kind.TRANSACTIONS;
            }
            if (CsvValues.column(row.fields(), "Action") >= 0 && CsvValues.column(row.fields(), "Date") >= 0) {
                return Kind.TRANSACTIONS;
            }
            if (CsvValues.column(row.fields(), "Symbol") == 0 && CsvValues.column(row.fields(),
                    "Mkt Val (Market Value)", "Market Value") >= 0) {
                return Kind.POSITIONS;
            }
            return Kind.UNKNOWN;
        }
        return Kind.UNKNOWN;
    }

    // ---------------------------------------------------------------- positions

    /**
     * @param accountId the account id to report, or null to derive one from the preamble's account label
     * @return the holdings of every account section in the file, the "Cash &amp; Cash Investments" row as a
     *         USD cash holding; the "Account Total" row is skipped
     */
    public static List<Holding> parsePositions(Path file, String accountId) throws IOException {
        String name = file.toString();
        List<Row> rows = CsvRows.parse(read(file), name);
        List<Holding> out = new ArrayList<>();
        String label = null;
        String asOf = null;
        List<String> header = null;
        int symbolCol = -1;
        int qtyCol = -1;
        int priceCol = -1;
        int valueCol = -1;
        int costCol = -1;
        int typeCol = -1;
        int descCol = -1;
        for (Row row : rows) {
            if (row.isBlank()) {
                continue;
            }
            Matcher m = PREAMBLE.matcher(row.first());
            if (m.matches()) {
                if (!m.group(1).equalsIgnoreCase("Positions")) {
                    throw DataFetchException.malformed(SchwabIds.SOURCE, name, "line " + row.line(), "column 1",
                            "a transactions export where a positions export was expected", null);
                }
                label = m.group(2).trim();
                asOf = m.group(3).trim();
                header = null;
                continue;
            }
            if (header == null) {
                if (CsvValues.column(row.fields(), "Symbol") != 0) {
                    // account-name lines of multi-account exports sit between sections
                    if (row.fields().stream().skip(1).allMatch(String::isBlank)) {
                        label = label == null ? row.first() : label;
                        continue;
                    }
                    throw DataFetchException.malformed(SchwabIds.SOURCE, name, "line " + row.line(), "column 1",
                            "expected the positions header (Symbol, Description, Quantity, ...) but found '"
                                    + row.first() + "': is this a Schwab positions export?", null);
                }
                header = row.fields();
                symbolCol = 0;
                qtyCol = CsvValues.column(header, "Qty (Quantity)", "Quantity", "Qty");
                priceCol = CsvValues.column(header, "Price");
                valueCol = CsvValues.column(header, "Mkt Val (Market Value)", "Market Value");
                costCol = CsvValues.column(header, "Cost Basis");
                typeCol = CsvValues.column(header, "Security Type", "Asset Type");
                descCol = CsvValues.column(header, "Description");
                if (qtyCol < 0 || valueCol < 0) {
                    throw DataFetchException.malformed(SchwabIds.SOURCE, name, "line " + row.line(),
                            qtyCol < 0 ? "Quantity" : "Market Value",
                            "the positions header lacks this column; export with the Quantity and Market Value "
                                    + "columns shown", null);
                }
                continue;
            }
            final List<String> hdr = header;
            final int vc = valueCol;
            final int qc = qtyCol;
            String symbol = row.get(symbolCol);
            String account = accountId != null ? accountId : label != null ? "csv:" + label : DEFAULT_ACCOUNT;
            if (symbol.equalsIgnoreCase("Account Total")) {
                continue;
            }
            requireComplete(name, row, header);
            if (symbol.toLowerCase(Locale.ROOT).startsWith("cash & cash investments")
                    || symbol.equalsIgnoreCase("Cash & Money Market")) {
                BigDecimal cash = CsvValues.amount(row.get(valueCol), cell(name, row, valueCol, header))
                        .orElseThrow(() -> cell(name, row, vc, hdr).error("the cash row has no value"));
                out.add(Holding.builder().symbol("USD").name("Cash & Cash Investments").quantity(cash)
                        .currentPrice(BigDecimal.ONE).marketValue(cash).currency(ApiMapper.USD).accountId(account)
                        .assetClass(AssetClass.CASH).source(SchwabIds.SOURCE).attribute("csvFile", file.getFileName()
                                .toString()).attribute("csvLine", Integer.toString(row.line())).build());
                continue;
            }
            if (symbol.isEmpty()) {
                throw cell(name, row, symbolCol, header).error("a position without a symbol");
            }
            BigDecimal qty = CsvValues.amount(row.get(qtyCol), cell(name, row, qtyCol, header))
                    .orElseThrow(() -> cell(name, row, qc, hdr).error("a position without a quantity"));
            Holding.Builder b = Holding.builder().symbol(symbol).quantity(qty).currency(ApiMapper.USD)
                    .accountId(account).source(SchwabIds.SOURCE)
                    .attribute("csvFile", file.getFileName().toString())
                    .attribute("csvLine", Integer.toString(row.line()));
            String type = row.get(typeCol);
            AssetClass assetClass = csvAssetClass(type);
            // the export prices an option per share (x100 a contract) and a bond in percent of par
            b.assetClass(assetClass).terms(ContractTerms.defaultsFor(assetClass));
            if (!type.isEmpty()) {
                b.attribute("securityType", type);
            }
            if (asOf != null) {
                b.attribute("asOf", asOf);
                // the prices are the export's, however late the file is read
                exportTime(asOf).ifPresent(b::priceAsOf);
            }
            String desc = row.get(descCol);
            if (!desc.isEmpty() && !desc.equals("--")) {
                b.name(desc);
            }
            final int pc = priceCol;
            if (pc >= 0) {
                CsvValues.amount(row.get(pc), cell(name, row, pc, header)).map(BigDecimal::abs).ifPresent(b::currentPrice);
            }
            CsvValues.amount(row.get(valueCol), cell(name, row, valueCol, header)).ifPresent(b::marketValue);
            final int cc = costCol;
            if (cc >= 0) {
                CsvValues.amount(row.get(cc), cell(name, row, cc, header)).ifPresent(b::costBasis);
            }
            out.add(b.build());
        }
        if (header == null) {
            throw DataFetchException.malformed(SchwabIds.SOURCE, name, null, null,
                    "no positions header found: is this a Schwab positions export?", null);
        }
        return out;
    }

    private static final java.time.format.DateTimeFormatter EXPORT_TIME = java.time.format.DateTimeFormatter
            .ofPattern("hh:mm a 'ET', yyyy/MM/dd", Locale.ROOT);

    /** @return the moment of a positions export's "as of 04:05 PM ET, 2025/03/21", when it reads so */
    static Optional<java.time.Instant> exportTime(String asOf) {
        try {
            return Optional.of(java.time.LocalDateTime.parse(asOf.trim().toUpperCase(Locale.ROOT), EXPORT_TIME)
                    .atZone(ApiMapper.EASTERN).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty(); // another wording: the holding's price is then dated by the sync
        }
    }

    static AssetClass csvAssetClass(String securityType) {
        String t = securityType.toLowerCase(Locale.ROOT);
        if (t.contains("etf") || t.contains("closed end")) {
            return AssetClass.ETF;
        }
        if (t.contains("money market") || t.startsWith("cash")) {
            return AssetClass.CASH;
        }
        if (t.contains("mutual fund")) {
            return AssetClass.MUTUAL_FUND;
        }
        if (t.contains("option")) {
            return AssetClass.OPTION;
        }
        if (t.contains("fixed income") || t.contains("bond") || t.contains("cd")) {
            return AssetClass.BOND;
        }
        if (t.contains("equity") || t.contains("stock")) {
            return AssetClass.STOCK;
        }
        if (t.contains("future")) {
            return AssetClass.FUTURE;
        }
        return AssetClass.OTHER;
    }

    // ---------------------------------------------------------------- transactions

    /**
     * @param accountId the account id to report, or null to derive one from the preamble's account label
     * @return the transactions in file order; source ids derive from each row's content plus its occurrence
     *         among identical rows, so re-imports deduplicate and two identical rows stay two
     */
    public static List<Transaction> parseTransactions(Path file, String accountId) throws IOException {
        String name = file.toString();
        List<Row> rows = CsvRows.parse(read(file), name);
        List<Transaction> out = new ArrayList<>();
        Map<String, Integer> occurrences = new HashMap<>();
        String label = null;
        List<String> header = null;
        int dateCol = -1;
        int actionCol = -1;
        int symbolCol = -1;
        int descCol = -1;
        int qtyCol = -1;
        int priceCol = -1;
        int feesCol = -1;
        int amountCol = -1;
        for (Row row : rows) {
            if (row.isBlank()) {
                continue;
            }
            Matcher m = PREAMBLE.matcher(row.first());
            if (header == null && m.matches()) {
                if (!m.group(1).equalsIgnoreCase("Transactions")) {
                    throw DataFetchException.malformed(SchwabIds.SOURCE, name, "line " + row.line(), "column 1",
                            "a positions export where a transactions export was expected", null);
                }
                label = m.group(2).trim();
                continue;
            }
            if (header == null) {
                dateCol = CsvValues.column(row.fields(), "Date");
                actionCol = CsvValues.column(row.fields(), "Action");
                amountCol = CsvValues.column(row.fields(), "Amount");
                if (dateCol < 0 || actionCol < 0 || amountCol < 0) {
                    String missing = dateCol < 0 ? "Date" : actionCol < 0 ? "Action" : "Amount";
                    throw DataFetchException.malformed(SchwabIds.SOURCE, name, "line " + row.line(), missing,
                            "expected the transactions header (Date, Action, Symbol, Description, Quantity, Price, "
                                    + "Fees & Comm, Amount) but it lacks this column: is this a Schwab brokerage "
                                    + "transactions export?", null);
                }
                header = row.fields();
                symbolCol = CsvValues.column(header, "Symbol");
                descCol = CsvValues.column(header, "Description");
                qtyCol = CsvValues.column(header, "Quantity");
                priceCol = CsvValues.column(header, "Price");
                feesCol = CsvValues.column(header, "Fees & Comm", "Fees & Commissions", "Fees");
                continue;
            }
            if (row.get(dateCol).equalsIgnoreCase("Transactions Total") || row.first().equalsIgnoreCase(
                    "Transactions Total")) {
                continue;
            }
            requireComplete(name, row, header);
            String account = accountId != null ? accountId : label != null ? "csv:" + label : DEFAULT_ACCOUNT;
            List<LocalDate> dates = CsvValues.dateAsOf(row.get(dateCol), cell(name, row, dateCol, header));
            String action = row.get(actionCol);
            if (action.isEmpty()) {
                throw cell(name, row, actionCol, header).error("a transaction without an action");
            }
            String symbol = row.get(symbolCol);
            String description = row.get(descCol);
            Optional<BigDecimal> qty = qtyCol < 0 ? Optional.empty()
                    : CsvValues.amount(row.get(qtyCol), cell(name, row, qtyCol, header));
            Optional<BigDecimal> price = priceCol < 0 ? Optional.empty()
                    : CsvValues.amount(row.get(priceCol), cell(name, row, priceCol, header));
            BigDecimal fees = feesCol < 0 ? BigDecimal.ZERO
                    : CsvValues.amount(row.get(feesCol), cell(name, row, feesCol, header)).orElse(BigDecimal.ZERO).abs();
            Optional<BigDecimal> amount = CsvValues.amount(row.get(amountCol), cell(name, row, amountCol, header));
            TransactionType type = csvType(action, amount.orElse(BigDecimal.ZERO), qty.orElse(BigDecimal.ZERO));
            if (amount.isEmpty() && qty.isEmpty()) {
                throw cell(name, row, amountCol, header).error("neither an amount nor a quantity");
            }

            String content = String.join("\u001f", account, row.get(dateCol), action, symbol, description,
                    qtyCol < 0 ? "" : row.get(qtyCol), priceCol < 0 ? "" : row.get(priceCol),
                    feesCol < 0 ? "" : row.get(feesCol), row.get(amountCol));
            int occurrence = occurrences.merge(content, 1, Integer::sum) - 1;
            String sourceId = "csv-" + sha256(content + "\u001f" + occurrence);

            // The Amount column is the net cash flow; the record's amount excludes fees.
            BigDecimal gross = amount.map(a -> a.add(fees)).orElse(BigDecimal.ZERO);
            boolean trade = type == TransactionType.BUY || type == TransactionType.SELL
                    || (qty.isPresent() && !symbol.isEmpty() && type != TransactionType.DIVIDEND
                    && type != TransactionType.INTEREST);
            Transaction.Builder b = Transaction.builder()
                    .date(dates.get(0).atStartOfDay(ApiMapper.EASTERN).toInstant())
                    .tradeDate(dates.get(1))
                    .type(type).currency(ApiMapper.USD).fees(fees).accountId(account).source(SchwabIds.SOURCE)
                    .sourceId(sourceId).rawType(action)
                    .attribute("csvFile", file.getFileName().toString())
                    .attribute("csvLine", Integer.toString(row.line()));
            if (fees.signum() > 0) {
                b.feeCurrency(ApiMapper.USD);
            }
            if (!dates.get(0).equals(dates.get(1))) {
                b.attribute("postedDate", dates.get(0).toString());
            }
            if (!symbol.isEmpty()) {
                b.symbol(symbol);
                if (!description.isEmpty()) {
                    b.name(description);
                }
                if (OPTION_SYMBOL.matcher(symbol).matches()) {
                    // the export prices an option per share; a US equity option contract is 100 shares
                    b.attribute("multiplier", "100");
                }
            }
            if (!description.isEmpty()) {
                b.description(description);
            }
            price.map(BigDecimal::abs).ifPresent(b::price);
            if (trade && qty.isPresent()) {
                b.quantity(signedQuantity(type, qty.get())).amount(gross);
            } else {
                b.quantity(amount.orElse(qty.orElse(BigDecimal.ZERO))).amount(gross);
            }
            if (amount.isEmpty()) {
                // A split or a share journal moves shares, not cash: the export leaves Amount blank, and a price it
                // shows is the share's value, not money paid. Zero, marked, rather than quantity × price.
                b.attribute(Transaction.AMOUNT_NOT_REPORTED, "true");
            }
            out.add(b.build());
        }
        if (header == null) {
            throw DataFetchException.malformed(SchwabIds.SOURCE, name, null, null,
                    "no transactions header found: is this a Schwab transactions export?", null);
        }
        return out;
    }

    private static BigDecimal signedQuantity(TransactionType type, BigDecimal qty) {
        return switch (type) {
            case SELL, TRANSFER_OUT -> qty.abs().negate();
            case BUY, TRANSFER_IN -> qty.abs();
            default -> qty;
        };
    }

    /** Maps an export's Action text onto a transaction type; unknown actions become OTHER, text kept. */
    static TransactionType csvType(String action, BigDecimal amount, BigDecimal quantity) {
        String a = action.trim().toLowerCase(Locale.ROOT);
        if (a.equals("reinvest shares") || a.startsWith("buy")) {
            return TransactionType.BUY; // buy, buy to open, buy to close, buy to cover
        }
        if (a.startsWith("sell")) {
            return TransactionType.SELL;
        }
        if (a.contains("dividend") || a.contains("div ") || a.endsWith(" div") || a.contains("cap gain")
                || a.equals("reinvest dividend") || a.contains("distribution")) {
            return amount.signum() < 0 ? TransactionType.TAX : TransactionType.DIVIDEND;
        }
        if (a.contains("interest")) {
            return a.contains("margin") || amount.signum() < 0 ? TransactionType.FEE : TransactionType.INTEREST;
        }
        if (a.contains("tax")) {
            return TransactionType.TAX;
        }
        if (a.contains("fee") || a.contains("adr mgmt")) {
            return TransactionType.FEE;
        }
        if (a.contains("split")) {
            return TransactionType.SPLIT;
        }
        if (a.startsWith("moneylink") || a.contains("wire") || a.contains("funds received")
                || a.contains("deposit") || a.contains("withdrawal") || a.contains("check")) {
            return amount.signum() < 0 ? TransactionType.WITHDRAWAL : TransactionType.DEPOSIT;
        }
        if (a.contains("journal") || a.contains("transfer")) {
            BigDecimal direction = amount.signum() != 0 ? amount : quantity;
            return direction.signum() < 0 ? TransactionType.TRANSFER_OUT : TransactionType.TRANSFER_IN;
        }
        return TransactionType.OTHER;
    }

    /**
     * A row with fewer fields than the header is a file cut off after a separator: its missing cells would
     * read as empty and import a trade without its amount. A stray trailing comma in the header does not count.
     */
    private static void requireComplete(String file, Row row, List<String> header) {
        int named = header.size();
        while (named > 0 && header.get(named - 1).isBlank()) {
            named--;
        }
        int have = row.fields().size();
        if (have < named) {
            throw cell(file, row, have, header).error("the row ends after " + have + " of the header's " + named
                    + " columns: the file looks cut off; download the export again");
        }
    }

    private static Cell cell(String file, Row row, int col, List<String> header) {
        String name = col >= 0 && col < header.size() ? header.get(col).trim() : "?";
        return new Cell(file, row.line(), col, name);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
