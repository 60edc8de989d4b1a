package io.foliosync.imports.bench;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.history.DailyPrices;
import io.foliosync.imports.history.ValueHistory;
import io.foliosync.imports.store.JdbcPortfolioStore;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Value over time over a million transactions in ten years (not a test). Run from the repository root:
 *
 * <pre>./mvnw -q -o -pl import-core test-compile exec:exec@bench-history</pre>
 *
 * ({@code -Dbench.records=...} for another count). Fills a SQLite database (schema by the store's migrations, rows
 * by one JDBC batch: 12 accounts, 6 assets, ~270 records a day), then times in one run: the first build of the
 * stored days ({@link ValueHistory#update()} over every record, the baseline), the incremental update after a sync
 * of 1,000 records dated in the last two days, and the series the dashboard asks for (cold: every stored day read
 * and priced; its closes stored by the first call). Medians of repeated runs where a step can repeat.
 */
public final class ValueHistoryBench {
    private static final String[] SOURCES = {"kraken", "ibkr", "schwab", "chase"};
    private static final String[] SYMBOLS = {"BTC", "ETH", "AAPL", "MSFT", "SAP", "DOT"};
    private static final LocalDate START = LocalDate.of(2016, 1, 1);
    private static final int DAYS = 3650;

    private ValueHistoryBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.records", 1_000_000);
        Path dir = Files.createTempDirectory("foliosync-history-bench");
        Path db = dir.resolve("bench.db");
        LocalDate today = START.plusDays(DAYS + 1);
        Clock clock = Clock.fixed(today.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        System.out.printf("FolioSync value-over-time bench: %,d transactions over %,d days, SQLite in %s%n", n, DAYS,
                dir);
        try (JdbcPortfolioStore store = JdbcPortfolioStore.open(DatabaseSettings.sqlite(db))) {
            fill(db, 0, n, 1, START, DAYS);
            ValueHistory history = ValueHistory.of(store, clock);

            long t0 = System.nanoTime();
            ValueHistory.Update full = history.update();
            double fullMs = (System.nanoTime() - t0) / 1e6;
            System.out.printf("first build (every record, the baseline)  %9.0f ms  (%d accounts, %,d day rows)%n",
                    fullMs, full.accounts(), full.rows());

            DailyPrices prices = new Closes();
            ValueHistory.Today now = today();
            t0 = System.nanoTime();
            ValueHistory.Series first = history.series(Optional.empty(), today, "USD", prices, now);
            System.out.printf("first series (asks and stores the closes)  %9.0f ms  (%,d days)%n",
                    (System.nanoTime() - t0) / 1e6, first.points().size());

            double[] inc = new double[5];
            double[] cold = new double[5];
            int job = 2;
            long next = n;
            for (int r = 0; r < inc.length; r++) {
                // a sync: 1,000 records over the last two days, by one job
                fill(db, next, 1000, job++, today.minusDays(2), 2);
                next += 1000;
                t0 = System.nanoTime();
                ValueHistory.Update u = history.update();
                inc[r] = (System.nanoTime() - t0) / 1e6;
                if (u.jobs() != 1) {
                    throw new AssertionError("the update took in " + u.jobs() + " jobs, not the sync's one");
                }
                t0 = System.nanoTime();
                history.series(Optional.empty(), today, "USD", prices, now);
                cold[r] = (System.nanoTime() - t0) / 1e6;
            }
            double incMs = median(inc);
            System.out.printf("incremental update after a 1,000-record sync %7.1f ms  (median of %d; %.4f of the "
                    + "first build)%n", incMs, inc.length, incMs / fullMs);
            System.out.printf("series after that sync (read + price all days) %5.0f ms  (median of %d)%n",
                    median(cold), cold.length);
            double[] again = new double[5];
            for (int r = 0; r < again.length; r++) {
                t0 = System.nanoTime();
                history.series(Optional.empty(), today, "USD", prices, now);
                again[r] = (System.nanoTime() - t0) / 1e6;
            }
            System.out.printf("series again, no sync since (every view, uncached) %5.0f ms  (median of %d)%n",
                    median(again), again.length);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Today's holdings: one lot of each asset in every account, valued at 1 each (only the anchor matters here). */
    private static ValueHistory.Today today() {
        List<Holding> hs = new ArrayList<>();
        List<Optional<BigDecimal>> vs = new ArrayList<>();
        for (String s : SOURCES) {
            for (int a = 0; a < 3; a++) {
                for (String sym : SYMBOLS) {
                    hs.add(Holding.builder().symbol(sym).quantity(BigDecimal.ONE).currency("USD").accountId("ACC-" + a)
                            .assetClass(sym.length() == 3 && !sym.equals("SAP") ? AssetClass.CRYPTO : AssetClass.STOCK)
                            .source(s).build());
                    vs.add(Optional.of(BigDecimal.ONE));
                }
            }
        }
        return new ValueHistory.Today(START.plusDays(DAYS + 1), hs, vs);
    }

    /** A close for every symbol every day (a market that never misses one). */
    private static final class Closes implements DailyPrices {
        @Override
        public Map<LocalDate, BigDecimal> closes(String symbol, String currency, Optional<AssetClass> assetClass,
                                                 LocalDate from, LocalDate to) {
            Map<LocalDate, BigDecimal> m = new TreeMap<>();
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                m.put(d, BigDecimal.valueOf(100 + (d.toEpochDay() % 50)));
            }
            return m;
        }

        @Override
        public Map<LocalDate, BigDecimal> fxRates(String from, String to, LocalDate fromDay, LocalDate toDay) {
            return Map.of();
        }
    }

    /** Inserts {@code count} records (ids from {@code first}) and the succeeded job {@code job} that wrote them. */
    private static void fill(Path db, long first, int count, int job, LocalDate start, int days) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (PreparedStatement j = c.prepareStatement("INSERT INTO import_jobs (id, source_type, source_name, "
                    + "status, started_at, completed_at) VALUES (?, 'bench', 'bench', 'succeeded', ?, ?)")) {
                j.setInt(1, job);
                j.setString(2, start + "T00:00:00.000000Z");
                j.setString(3, start + "T00:00:01.000000Z");
                j.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO transactions (source_type, source_name, "
                    + "source_id, account_id, date, trade_date, symbol, transaction_type, quantity, price, amount, "
                    + "currency, fees, attributes, content_hash, job_id, imported_at, updated_at) VALUES "
                    + "(?, ?, ?, ?, ?, ?, ?, ?, '1', '10', '10', 'USD', '0', '{}', ?, ?, ?, ?)")) {
                for (long k = 0; k < count; k++) {
                    long i = first + k;
                    LocalDate day = start.plusDays((i * 7919L) % days);
                    String ts = day + "T12:00:00.000000Z";
                    ps.setString(1, "bench");
                    ps.setString(2, SOURCES[(int) (i % SOURCES.length)]);
                    ps.setString(3, "r" + i);
                    ps.setString(4, "ACC-" + (i % 3));
                    ps.setString(5, ts);
                    ps.setString(6, day.toString());
                    ps.setString(7, SYMBOLS[(int) (i % SYMBOLS.length)]);
                    ps.setString(8, i % 5 == 4 ? "SELL" : i % 17 == 0 ? "DEPOSIT" : "BUY");
                    ps.setString(9, String.format("%064d", i));
                    ps.setInt(10, job);
                    ps.setString(11, ts);
                    ps.setString(12, ts);
                    ps.addBatch();
                    if (k % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            if (count > 10_000) {
                try (var st = c.createStatement()) {
                    st.execute("ANALYZE");
                }
                System.out.printf("(filled %,d rows in %.1f s)%n", count, (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
