package io.foliosync.imports.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the planner's statistics of the tables imports grow current, on SQLite as on PostgreSQL (issue 22).
 * Without them both databases plan hot statements on the wrong index: SQLite, which has no statistics until
 * {@code ANALYZE} runs, takes the two-column prefix {@code (portfolio_id, source_name)} of the keyset index for
 * more selective than 1,000 probes of the identity index and reads every stored row of the source on every page
 * (0.4 s a page at 500,000 rows); PostgreSQL, with the statistics of a (nearly) empty table, does the same on
 * another index, and reads a job's rejected records through the index of open ones. Statistics that describe each
 * table at the right order of magnitude give each hot statement its one right index ({@code QueryPlanTest}).
 *
 * <p>Before a write to a table the store analyzes it when it holds at least {@value #FIRST} rows and its
 * statistics describe fewer than a quarter of them (never analyzed, or grown 4× since). These growth steps read
 * each table for statistics a bounded number of times however large an import is (all of them together read it at
 * most 4/3 times its final size), and a database filled by an older version is analyzed at its first sync. On
 * top, {@code transactions} is analyzed when a source passes 5,000, 50,000, 500,000 or 5,000,000 rows inserted by
 * this store: PostgreSQL's planner would otherwise take a new source of a large table for empty.
 *
 * <p>A table's size is {@code MAX(id)}, one probe of the primary key (rows are rarely deleted; an overestimate only
 * analyzes early). What the statistics describe is read from the database ({@code sqlite_stat1},
 * {@code pg_class.reltuples}), so autovacuum's own ANALYZE on PostgreSQL counts.
 */
final class TableStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(TableStatistics.class);
    static final long FIRST = 2_000;
    private static final long GROWTH = 4;

    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final Map<String, Size> sizes = new HashMap<>();
    private final Map<String, Long> insertedBySource = new HashMap<>();

    /** A table's rows now (estimated) and the rows its statistics describe. */
    private static final class Size {
        long rows;
        long described;
    }

    TableStatistics(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
    }

    /** Before a write that grows {@code table}: analyzes it first when its statistics fell behind it. */
    void beforeWrite(String table) {
        boolean stale;
        Size size;
        synchronized (this) {
            size = sizes.get(table);
            if (size == null) {
                size = read(table);
                sizes.put(table, size);
            }
            stale = size.rows >= FIRST && size.rows >= GROWTH * size.described;
            if (stale) {
                size.described = size.rows;
            }
        }
        if (stale) {
            analyze(table, "it holds about " + size.rows + " rows");
        }
    }

    /** After a write added {@code rows} rows to {@code table} (checked at its next write). */
    synchronized void grew(String table, long rows) {
        Size size = sizes.get(table);
        if (size != null) {
            size.rows += rows;
        }
    }

    /** After a page of {@code sourceName} inserted {@code inserted} transactions. */
    void transactionsInserted(String sourceName, long inserted) {
        if (inserted == 0) {
            return;
        }
        grew("transactions", inserted);
        boolean crossed = false;
        long after;
        synchronized (this) {
            after = insertedBySource.merge(sourceName, inserted, Long::sum);
            long before = after - inserted;
            for (long threshold = 5_000; threshold <= 5_000_000; threshold *= 10) {
                crossed |= before < threshold && after >= threshold;
            }
            Size size = sizes.get("transactions");
            if (crossed && size != null) {
                size.described = Math.max(size.described, size.rows);
            }
        }
        if (crossed) {
            analyze("transactions", sourceName + " passed " + after + " rows inserted");
        }
    }

    private Size read(String table) {
        Size size = new Size();
        try {
            db.read(c -> {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT MAX(id) FROM " + table)) {
                    size.rows = rs.next() ? rs.getLong(1) : 0;
                }
                size.described = described(c, table);
                return null;
            });
        } catch (StoreException e) {
            LOG.warn("cannot read the size of {} (its statistics are not kept): {}", table, e.getMessage());
            size.rows = 0;
        }
        return size;
    }

    /** @return the rows the table's statistics describe; 0 when it was never analyzed */
    private long described(Connection c, String table) throws SQLException {
        if (dialect == SqlDialect.POSTGRES) {
            // the estimate of the last ANALYZE or VACUUM: -1 before either (PostgreSQL 14+), 0 on older servers
            try (PreparedStatement ps = c.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Math.max(0, (long) rs.getDouble(1)) : 0;
                }
            }
        }
        try (Statement st = c.createStatement();
             ResultSet exists = st.executeQuery("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")) {
            if (!exists.next()) {
                return 0;
            }
        }
        // the first number of an index's stat is the rows the table had when it was analyzed
        try (PreparedStatement ps = c.prepareStatement("SELECT stat FROM sqlite_stat1 WHERE tbl = ? "
                + "AND idx IS NOT NULL LIMIT 1")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                String stat = rs.getString(1);
                int space = stat.indexOf(' ');
                return Long.parseLong(space < 0 ? stat : stat.substring(0, space));
            }
        }
    }

    private void analyze(String table, String why) {
        long started = System.nanoTime();
        try {
            if (dialect == SqlDialect.SQLITE) {
                // SQLite writes sqlite_stat1: under the store's writer lock, like any write
                db.write(c -> {
                    try (Statement st = c.createStatement()) {
                        // unlimited: with PRAGMA analysis_limit = N SQLite counts rows per key among the first N
                        // entries of an index only, so a column holding one value looks as selective as N rows, and
                        // the lookup's 1,000 probes lose against the keyset index again
                        st.execute("PRAGMA analysis_limit = 0");
                        st.execute("ANALYZE " + table);
                    }
                    return null;
                });
                // an SQLite connection loads the statistics with the schema and keeps them: the pool's other
                // connections would plan with the old ones until they reopen, so they are replaced as they come back
                db.refreshConnections();
            } else {
                db.read(c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("ANALYZE " + table);
                    }
                    return null;
                });
            }
            LOG.debug("analyzed {} ({}) in {} ms", table, why, (System.nanoTime() - started) / 1_000_000);
        } catch (StoreException e) {
            LOG.warn("ANALYZE {} failed (its reads may take a slow plan until it runs): {}", table, e.getMessage());
        }
    }
}
