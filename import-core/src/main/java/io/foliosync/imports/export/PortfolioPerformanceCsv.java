package io.foliosync.imports.export;

import static io.foliosync.imports.export.CsvCells.number;
import static io.foliosync.imports.export.CsvCells.text;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.query.StoredTransaction;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One account's records in Portfolio Performance's two CSV import layouts. The column names are those of its
 * English import dialog (name.abuchen.portfolio messages: {@code CSVColumn_*}), the type names those of its
 * transaction types ({@code account.*} and {@code portfolio.*} labels), so its importer maps every column and
 * type without the user choosing them.
 */
final class PortfolioPerformanceCsv {
    static final List<String> ACCOUNT_COLUMNS = List.of("Date", "Time", "Type", "Value", "Transaction Currency",
            "Shares", "Ticker Symbol", "Security Name", "Fees", "Taxes", "Note", "Cash Account");
    static final List<String> PORTFOLIO_COLUMNS = List.of("Date", "Time", "Type", "Value", "Transaction Currency",
            "Shares", "Ticker Symbol", "Security Name", "Fees", "Taxes", "Note", "Cash Account",
            "Securities Account");

    private final String account;
    private final List<StoredTransaction> records;

    private PortfolioPerformanceCsv(String account, List<StoredTransaction> records) {
        this.account = account;
        this.records = records;
    }

    static PortfolioPerformanceCsv of(String account, List<StoredTransaction> records) {
        return new PortfolioPerformanceCsv(account, List.copyOf(records));
    }

    /** A row of either file, before it is written. */
    private record Row(Transaction t, String type, BigDecimal value, Optional<BigDecimal> shares, boolean security,
                       BigDecimal fees, BigDecimal taxes, String note) {
    }

    void writeAccountTransactions(Writer w) throws IOException {
        w.write(CsvCells.row(ACCOUNT_COLUMNS));
        for (StoredTransaction s : records) {
            Optional<Row> r = accountRow(s);
            if (r.isPresent()) {
                w.write(CsvCells.row(cells(r.get(), false)));
            }
        }
    }

    void writePortfolioTransactions(Writer w) throws IOException {
        w.write(CsvCells.row(PORTFOLIO_COLUMNS));
        for (StoredTransaction s : records) {
            Optional<Row> r = portfolioRow(s);
            if (r.isPresent()) {
                w.write(CsvCells.row(cells(r.get(), true)));
            }
        }
    }

    private List<String> cells(Row r, boolean portfolio) {
        Transaction t = r.t();
        List<String> c = new ArrayList<>(List.of(Exports.DATE.format(t.tradeDate()), Exports.TIME.format(t.date()),
                r.type(), number(r.value()), t.currency(), r.shares().map(CsvCells::number).orElse(""),
                r.security() ? text(t.symbol()) : "", r.security() ? text(t.name()) : "",
                r.fees().signum() == 0 ? "" : number(r.fees()), r.taxes().signum() == 0 ? "" : number(r.taxes()),
                text(r.note()), text(account)));
        if (portfolio) {
            c.add(text(account));
        }
        return c;
    }

    /** Deposits, withdrawals, interest, dividends, fees and taxes: cash movements of the account. */
    private Optional<Row> accountRow(StoredTransaction s) {
        Transaction t = s.transaction();
        BigDecimal fees = Exports.feesInCurrency(t);
        String note = note(s, t);
        boolean cash = Exports.isCash(t);
        String type = switch (t.type()) {
            case DEPOSIT -> "Deposit";
            case WITHDRAWAL -> "Withdrawal";
            case INTEREST -> "Interest";
            case DIVIDEND -> "Dividend";
            case FEE -> "Fees";
            case TAX -> "Taxes";
            case TRANSFER_IN -> cash ? "Deposit" : null;
            case TRANSFER_OUT -> cash ? "Withdrawal" : null;
            case REWARD -> cash ? "Interest" : null;
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        boolean security = t.type() == TransactionType.DIVIDEND && !cash;
        // PP books a dividend's Value as what reached the account: the gross amount less its fees
        BigDecimal value = t.type() == TransactionType.DIVIDEND
                ? t.amount().subtract(fees).max(BigDecimal.ZERO) : t.amount();
        return Optional.of(new Row(t, type, value, Optional.empty(), security,
                t.type() == TransactionType.DIVIDEND ? fees : BigDecimal.ZERO,
                BigDecimal.ZERO, note));
    }

    /** Buys, sells, and securities delivered in or out (transfers, rewards): movements of the securities account. */
    private Optional<Row> portfolioRow(StoredTransaction s) {
        Transaction t = s.transaction();
        if (Exports.isCash(t)) {
            return Optional.empty();
        }
        BigDecimal fees = Exports.feesInCurrency(t);
        String type = switch (t.type()) {
            case BUY -> "Buy";
            case SELL -> "Sell";
            case TRANSFER_IN, REWARD -> "Delivery (Inbound)";
            case TRANSFER_OUT -> "Delivery (Outbound)";
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        BigDecimal gross = t.attributes().containsKey(Transaction.AMOUNT_NOT_REPORTED) || t.amount().signum() == 0
                ? t.price().map(p -> p.multiply(t.quantity())).orElse(BigDecimal.ZERO) : t.amount();
        // PP's Value is what the cash account paid or received: a buy's price plus its fees, a sale's less them
        BigDecimal value = switch (t.type()) {
            case BUY -> gross.add(fees);
            case SELL -> gross.subtract(fees).max(BigDecimal.ZERO);
            default -> gross;
        };
        return Optional.of(new Row(t, type, value, Optional.of(t.quantity()), true, fees, BigDecimal.ZERO,
                note(s, t)));
    }

    /** The record's identity, so a row in PP leads back to it, and a fee PP's row cannot carry. */
    private static String note(StoredTransaction s, Transaction t) {
        String note = "foliosync " + s.recordId() + (t.type() == TransactionType.REWARD
                ? " reward" : "") + (Exports.is(t, TransactionType.TRANSFER_IN,
                TransactionType.TRANSFER_OUT) ? " transfer" : "");
        return note + Exports.feeNote(t).map(f -> " (" + f + " not included)").orElse("");
    }
}
