package io.foliosync.imports.bench;

import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.query.TransactionPage;
import io.foliosync.imports.query.TransactionPageQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The transaction listing's paging over a million rows (not a test). Run from the repository root:
 *
 * <pre>./mvnw -q -o -pl import-core test-compile exec:exec@bench-pages</pre>
 *
 * ({@code -Dbench.records=...} for another count). Fills a SQLite database (schema by the store's own migrations,
 * rows by one JDBC batch), then times, in one run, {@link PortfolioStore#transactions(TransactionPageQuery)} on the
 * first page and on the last page (keyset: "after this row"), unfiltered and filtered by source, and the same two
 * pages read with {@code LIMIT/OFFSET} as the baseline. What matters is each method's last/first ratio.
 */
public final class TransactionPageBench {
    private static final int PAGE = 50;
    private static final int REPS = 41;

    private TransactionPageBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.records", 1_000_000);
        Path dir = Files.createTempDirectory("foliosync-page-bench");
        Path db = dir.resolve("bench.db");
        System.out.printf("FolioSync transaction paging bench: %,d rows, pages of %d, SQLite in %s, median of %d%n",
                n, PAGE, dir, REPS);
        try (PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(db))) {
            fill(db, n);
            String[] sources = {"kraken", "ibkr", "schwab", "chase"};
            long lastKeyStart = System.nanoTime();
            TransactionPageQuery.Key lastAll = keyBefore(db, Optional.empty(), n - PAGE);
            TransactionPageQuery.Key lastKraken = keyBefore(db, Optional.of("kraken"), n / sources.length - PAGE);
            System.out.printf("(finding the last pages' keys with OFFSET, once: %.0f ms)%n",
                    (System.nanoTime() - lastKeyStart) / 1e6);

            TransactionPageQuery all = TransactionPageQuery.firstPage(PAGE);
            TransactionPageQuery kraken = new TransactionPageQuery(Optional.of("kraken"), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), PAGE);
            row("keyset, all sources", median(() -> store.transactions(all)),
                    median(() -> store.transactions(all.after(lastAll))), store.transactions(all.after(lastAll)));
            row("keyset, source = kraken", median(() -> store.transactions(kraken)),
                    median(() -> store.transactions(kraken.after(lastKraken))),
                    store.transactions(kraken.after(lastKraken)));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                double first = median(() -> offsetPage(c, 0));
                double last = median(() -> offsetPage(c, n - PAGE));
                System.out.printf("%-28s first %8.3f ms  last %8.3f ms  last/first %8.1f%n", "baseline: LIMIT/OFFSET",
                        first, last, last / first);
            }
        }
    }

    private static void row(String what, double first, double last, TransactionPage lastPage) {
        System.out.printf("%-28s first %8.3f ms  last %8.3f ms  last/first %8.2f  (last page: %d rows, next %s)%n",
                what, first, last, last / first, lastPage.rows().size(), lastPage.next().isPresent() ? "yes" : "none");
    }

    private static void fill(Path db, int n) throws Exception {
        long t0 = System.nanoTime();
        String[] sources = {"kraken", "ibkr", "schwab", "chase"};
        String[] symbols = {"BTC", "ETH", "AAPL", "MSFT", "SAP", "DOT"};
        LocalDate start = LocalDate.of(2010, 1, 1);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO transactions (source_type, source_name, "
                    + "source_id, account_id, date, trade_date, symbol, transaction_type, quantity, price, amount, "
                    + "currency, fees, attributes, content_hash, job_id, imported_at, updated_at) VALUES "
                    + "(?, ?, ?, ?, ?, ?, ?, 'BUY', '1', '10', '10', 'USD', '0', '{}', ?, 1, ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    // ~270 rows a day over ten years, in no particular insertion order of dates
                    LocalDate day = start.plusDays((i * 7919L) % 3700);
                    String ts = day + "T12:00:00.000000Z";
                    ps.setString(1, "bench");
                    ps.setString(2, sources[i % sources.length]);
                    ps.setString(3, "r" + i);
                    ps.setString(4, "ACC-" + (i % 3));
                    ps.setString(5, ts);
                    ps.setString(6, day.toString());
                    ps.setString(7, symbols[i % symbols.length]);
                    ps.setString(8, String.format("%064d", i));
                    ps.setString(9, ts);
                    ps.setString(10, ts);
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            try (var st = c.createStatement()) {
                st.execute("ANALYZE");
            }
        }
        System.out.printf("(filled %,d rows in %.1f s)%n", n, (System.nanoTime() - t0) / 1e9);
    }

    /** @return the key of the row just before the one at {@code offset} in the listing's order */
    private static TransactionPageQuery.Key keyBefore(Path db, Optional<String> source, int offset) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement ps = c.prepareStatement("SELECT trade_date, id FROM transactions WHERE portfolio_id = 'default'"
                     + (source.isPresent() ? " AND source_name = ?" : "")
                     + " ORDER BY trade_date DESC, id DESC LIMIT 1 OFFSET ?")) {
            int i = 1;
            if (source.isPresent()) {
                ps.setString(i++, source.get());
            }
            ps.setInt(i, offset - 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new TransactionPageQuery.Key(LocalDate.parse(rs.getString(1)), rs.getLong(2));
            }
        }
    }

    private static int offsetPage(Connection c, int offset) {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM transactions WHERE portfolio_id = 'default' "
                + "ORDER BY trade_date DESC, id DESC LIMIT ? OFFSET ?")) {
            ps.setInt(1, PAGE);
            ps.setInt(2, offset);
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(Supplier<?> call) {
        for (int i = 0; i < 5; i++) {
            call.get(); // warm-up
        }
        double[] ms = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            long t0 = System.nanoTime();
            call.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[REPS / 2];
    }
}
