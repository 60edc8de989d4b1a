package io.foliosync.imports.export;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.query.StoredTransaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Writes the stored history to files: {@link #portfolioPerformance} (Portfolio Performance's CSV import layouts,
 * a pair per account), {@link #csv}, {@link #json} and {@link #ofx}. Each file is written beside its target and
 * moved into place when complete, so a reader never sees half of one.
 *
 * <pre>{@code
 * List<Path> files = Exports.of(folio.store()).portfolioPerformance(Path.of("export"), ExportFilter.ALL);
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Exports {
    private final PortfolioStore store;

    private Exports(PortfolioStore store) {
        this.store = store;
    }

    public static Exports of(PortfolioStore store) {
        return new Exports(Objects.requireNonNull(store, "store"));
    }

    /** The records an export holds, by date then record id (the store's order). */
    List<StoredTransaction> records(ExportFilter filter) {
        return store.transactions(filter.source()).stream().filter(filter::matches).toList();
    }

    /** The records by account ({@code namespace/account}), in order. */
    Map<String, List<StoredTransaction>> byAccount(ExportFilter filter) {
        Map<String, List<StoredTransaction>> out = new LinkedHashMap<>();
        for (StoredTransaction t : records(filter)) {
            out.computeIfAbsent(t.sourceName() + "/" + t.transaction().accountId(), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    /**
     * Portfolio Performance: for each account, {@code <namespace>_<account>.account-transactions.csv} (deposits,
     * withdrawals, interest, dividends, fees, taxes) and {@code <namespace>_<account>.portfolio-transactions.csv}
     * (buys, sells, deliveries in and out), in the layouts of its "Account Transactions" and "Portfolio
     * Transactions" CSV import: English column names, comma-separated, UTF-8, dates {@code yyyy-MM-dd}, times
     * {@code HH:mm} (UTC), numbers {@code 0,000.00} (a point for decimals, no grouping).
     *
     * @return the files written
     */
    public List<Path> portfolioPerformance(Path dir, ExportFilter filter) {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<StoredTransaction>> account : byAccount(filter).entrySet()) {
            String base = fileName(account.getKey());
            PortfolioPerformanceCsv pp = PortfolioPerformanceCsv.of(account.getKey(), account.getValue());
            written.add(write(dir.resolve(base + ".account-transactions.csv"), pp::writeAccountTransactions));
            written.add(write(dir.resolve(base + ".portfolio-transactions.csv"), pp::writePortfolioTransactions));
        }
        return written;
    }

    /** The columns of {@link #csv}, in order. */
    public static final List<String> CSV_COLUMNS = List.of("source", "account", "record_id", "date", "trade_date",
            "type", "symbol", "name", "quantity", "price", "amount", "currency", "fees", "fee_currency",
            "description", "raw_type");

    /**
     * One CSV file of every record ({@code transactions.csv}, columns {@link #CSV_COLUMNS}): RFC 4180, UTF-8,
     * ISO dates and instants, plain decimals; a text cell a spreadsheet would run as a formula starts with an
     * apostrophe.
     */
    public Path csv(Path dir, ExportFilter filter) {
        return write(dir.resolve("transactions.csv"), w -> {
            w.write(CsvCells.row(CSV_COLUMNS));
            for (StoredTransaction s : records(filter)) {
                Transaction t = s.transaction();
                w.write(CsvCells.row(List.of(CsvCells.text(s.sourceName()), CsvCells.text(t.accountId()),
                        CsvCells.text(s.recordId()), t.date().toString(), t.tradeDate().toString(), t.type().name(),
                        CsvCells.text(t.symbol()), CsvCells.text(t.name()), CsvCells.number(t.quantity()),
                        CsvCells.number(t.price()), CsvCells.number(t.amount()), t.currency(),
                        CsvCells.number(t.fees()), t.feeCurrency().orElse(""), CsvCells.text(t.description()),
                        CsvCells.text(t.rawType()))));
            }
        });
    }

    /**
     * One JSON file ({@code transactions.json}): an array of objects with the {@link #csv} columns as keys,
     * decimals as JSON numbers written in full (never through a double), absent values left out.
     */
    public Path json(Path dir, ExportFilter filter) {
        return write(dir.resolve("transactions.json"), w -> JsonExport.write(w, records(filter)));
    }

    /**
     * One OFX 2.2 file ({@code transactions.ofx}): an investment statement per account (trades as BUYSTOCK and
     * SELLSTOCK, dividends and interest as INCOME, securities moved in or out as TRANSFER, cash movements as
     * INVBANKTRAN), amounts signed as OFX wants them.
     */
    public Path ofx(Path dir, ExportFilter filter) {
        return write(dir.resolve("transactions.ofx"), w -> OfxExport.write(w, byAccount(filter)));
    }

    static String fileName(String accountKey) {
        return accountKey.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Writes what {@code body} writes. */
    interface Body {
        void write(Writer w) throws IOException;
    }

    private static Path write(Path target, Body body) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".part");
            try {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    body.write(w);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /** @return whether the record moves cash (no symbol, or its own currency as the symbol) */
    static boolean isCash(Transaction t) {
        return t.symbol().map(s -> s.equalsIgnoreCase(t.currency())).orElse(true);
    }

    static BigDecimal feesInCurrency(Transaction t) {
        return t.feeCurrency().filter(c -> !c.equalsIgnoreCase(t.currency())).isPresent() ? BigDecimal.ZERO : t.fees();
    }

    static Optional<String> feeNote(Transaction t) {
        return t.feeCurrency().filter(c -> !c.equalsIgnoreCase(t.currency()) && t.fees().signum() != 0)
                .map(c -> "fee " + t.fees().stripTrailingZeros().toPlainString() + " " + c);
    }

    static boolean is(Transaction t, TransactionType... types) {
        for (TransactionType x : types) {
            if (t.type() == x) {
                return true;
            }
        }
        return false;
    }
}
