package io.foliosync.imports.store;

import io.foliosync.imports.query.TransactionPageQuery;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.FakeConnector;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.TestStores;
import io.foliosync.imports.Tx;
import io.foliosync.imports.config.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The guard a new migration or a rewritten query must pass (issue 22): each database is filled with 100,000
 * transactions (and quarantine, snapshot, reconciliation, cursor and transfer-link rows in proportion) by a bulk
 * insert, one page is then synced through the store as a user's sync would (so the store keeps its statistics the
 * way it does in use), and every hot statement, exactly as the store sends it, is asked for its plan
 * ({@code EXPLAIN QUERY PLAN} on SQLite, {@code EXPLAIN} on PostgreSQL): it must use the index written for it and
 * never scan a large table. A plan that scans instead costs a read of every stored row on every page or job.
 */
class QueryPlanTest {
    private static final int ROWS = 100_000;
    private static final String NAMESPACE = "ibkr";
    private static final String SOURCE_ID = "ibkr-flex-1";

    @TempDir
    Path dir;
    private final TestStores open = new TestStores();

    static List<Backend> backends() {
        return TestDatabases.backends();
    }

    @AfterEach
    void tearDown() throws Exception {
        open.close();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyHotStatementUsesTheIndexWrittenForIt(Backend backend) throws Exception {
        DatabaseSettings settings = TestDatabases.settings(backend, dir);
        PortfolioStore store = open.store(settings);
        boolean sqlite = settings.isSqlite();
        try (Connection c = connect(settings)) {
            fill(c, sqlite);
        }
        // the store's own statistics upkeep runs as it does in a user's sync: one page of a source's sync
        FakeConnector kraken = new FakeConnector("kraken");
        kraken.pageSize = 1_000;
        List<Transaction> page = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            page.add(Tx.buy("kraken", "K" + i, i).build());
        }
        kraken.transactions = page;
        ImportOrchestrator o = ImportOrchestrator.builder(store).addConnector(kraken)
                .build();
        open.add(o);
        assertThat(o.syncAll().allSucceeded()).isTrue();

        try (Connection c = connect(settings)) {
            Plans plans = new Plans(c, sqlite);
            List<String> ids = IntStream.range(0, 1_000).mapToObj(i -> "T" + (50_000 + i * 7)).toList();
            if (sqlite) {
                List<Object> args = new ArrayList<>(List.of("BROKER", NAMESPACE, "default"));
                args.addAll(ids);
                plans.expect("duplicate lookup", TransactionTable.lookupSqlite(ids.size()), args,
                        "sqlite_autoindex_transactions_1");
                plans.expect("cursor", CursorTable.CURSOR, List.of("src-77", "transactions", "default"),
                        "sqlite_autoindex_sync_cursors_1");
            } else {
                Array array = c.createArrayOf("varchar", ids.toArray());
                plans.expect("duplicate lookup", TransactionTable.LOOKUP_POSTGRES,
                        List.of("default", "BROKER", NAMESPACE, array), "uq_transactions_identity");
                plans.expect("cursor", CursorTable.CURSOR, List.of("src-77", "transactions", "default"),
                        "pk_sync_cursors");
            }
            LocalDate day = LocalDate.of(2022, 6, 1);
            Object date = sqlite ? day.toString() : day;
            TransactionPageQuery all = TransactionPageQuery.firstPage(50);
            plans.expect("first transaction page", TransactionTable.pageSql(all), List.of("default"),
                    "ix_transactions_trade_date_id");
            plans.expect("keyset transaction page", TransactionTable.pageSql(all.after(new TransactionPageQuery.Key(day,
                    60_000))), List.of("default", date, 60_000L), "ix_transactions_trade_date_id");
            // a source with a tenth of the rows: where the source's index matters (for a source holding most rows,
            // PostgreSQL rightly reads the date index and skips the few others)
            TransactionPageQuery bySource = new TransactionPageQuery(Optional.of("kraken"), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 50);
            plans.expect("keyset transaction page of a source", TransactionTable.pageSql(bySource.after(
                    new TransactionPageQuery.Key(day, 60_000))), List.of("default", "kraken", date, 60_000L),
                    "ix_transactions_source_trade_date_id");

            plans.expect("latest snapshots (holdings sync)", HoldingTable.LATEST_SNAPSHOTS,
                    List.of("default", NAMESPACE), "ix_holding_snapshots_source_account");
            plans.expect("latest holdings", HoldingTable.LATEST_HOLDINGS, List.of("default", NAMESPACE),
                    "ix_holding_snapshots_source_account", "ix_holdings_snapshot");
            plans.expect("an account's snapshots (reconciliation)", HoldingTable.SNAPSHOTS,
                    List.of(NAMESPACE, "U10", "default"), "ix_holding_snapshots_source_account");
            plans.expect("an account's holdings (reconciliation)", HoldingTable.SNAPSHOT_HOLDINGS,
                    List.of(NAMESPACE, "U10", "default"), "ix_holding_snapshots_source_account",
                    "ix_holdings_snapshot");
            // Not asserted: the account's whole history (TransactionTable.historySql), which reconciliation reads only
            // without a checkpoint that applies. It returns every row of the account, so a scan of its source is what
            // it costs on either index, and PostgreSQL rightly prefers a sequential scan for an account holding a
            // large share of the table.
            plans.expect("an account's rows written after its reconciliation checkpoint", TransactionTable.WRITTEN_AFTER,
                    List.of("default", NAMESPACE, "U1", 95L), "ix_transactions_account_writes");
            plans.expect("whether one of them was rewritten in place", TransactionTable.REWRITTEN_AFTER,
                    List.of("default", NAMESPACE, "U1", 95L), "ix_transactions_account_writes");
            plans.expect("latest reconciliation", ReconciliationTable.latestSql(true), List.of("default", NAMESPACE),
                    "ix_reconciliation_results_account");

            plans.expect("transfer-link candidates", TransactionTable.UNLINKED_TRANSFERS, List.of("default"),
                    "ix_transactions_transfers",
                    sqlite ? "sqlite_autoindex_transfer_links_1" : "uq_transfer_links_out",
                    sqlite ? "sqlite_autoindex_transfer_links_2" : "uq_transfer_links_in");

            // issue 28: what a sink has not received of an account, read after every succeeded sync
            plans.expect("a sink's changes of an account", TransactionTable.changesSql(501),
                    List.of("default", NAMESPACE, "U10", 95L, 0L), "ix_transactions_account_writes");

            plans.expect("open quarantine of a source", QuarantineTable.openSql(true),
                    List.of("default", SOURCE_ID, SOURCE_ID), "ix_quarantine_source_open");
            plans.expect("records a job rejected", QuarantineTable.REJECTED_BY, List.of("default", 4_000L),
                    "ix_quarantine_last_job");
            Object at = sqlite ? "2024-06-01T00:00:00.000000Z" : java.time.OffsetDateTime.parse("2024-06-01T00:00Z");
            plans.expect("quarantine resolution at a job's end", QuarantineTable.resolveSql(true),
                    List.of(at, 9_999L, "default", SOURCE_ID, 9_999L, at), "ix_quarantine_source_open");
            plans.expect("where the cursor stops (earliest open quarantined record)", QuarantineTable.EARLIEST_OPEN,
                    List.of("default", SOURCE_ID), "ix_quarantine_source_open");
            plans.assertAll();
        }
    }

    /** Asks each statement for its plan and collects every statement whose plan is not the one written for. */
    private static final class Plans {
        private final Connection c;
        private final boolean sqlite;
        private final SoftAssertions soft = new SoftAssertions();

        Plans(Connection c, boolean sqlite) {
            this.c = c;
            this.sqlite = sqlite;
        }

        void expect(String statement, String sql, List<?> args, String... indexes) throws SQLException {
            String plan = plan(sql, args);
            // a plan quotes the bound 1,000 ids: long lines are shortened in the message, never in what is matched
            String shown = plan.lines().map(Plans::shorten).collect(java.util.stream.Collectors.joining("\n"));
            String statementShown = shorten(sql);
            for (String index : indexes) {
                String uses = sqlite ? "USING (COVERING |PRIMARY KEY )?INDEX " + index + "\\b"
                        : "(Index|Index Only|Bitmap Index) Scan (Backward )?(using|on) " + index + "\\b";
                soft.assertThat(Pattern.compile(uses).matcher(plan).find())
                        .as("%s must use %s:%n%s%nplan:%n%s", statement, index, statementShown, shown).isTrue();
            }
            String scan = sqlite
                    ? "(?m)^SCAN \\w+\\s*$" // a table scan; an index scan says USING
                    : "Seq Scan on (transactions|quarantine|holdings|holding_snapshots|reconciliation_results|"
                            + "sync_cursors|transfer_links)\\b";
            soft.assertThat(Pattern.compile(scan).matcher(plan).find())
                    .as("%s must not scan a large table:%n%s%nplan:%n%s", statement, statementShown, shown).isFalse();
        }

        private static String shorten(String line) {
            return line.length() <= 240 ? line : line.substring(0, 240) + "…";
        }

        private String plan(String sql, List<?> args) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql)) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // SQLite: id, parent, notused, detail; PostgreSQL: one line of text
                        out.append(rs.getString(sqlite ? 4 : 1)).append('\n');
                    }
                }
                return out.toString();
            }
        }

        void assertAll() {
            soft.assertAll();
        }
    }

    private static Connection connect(DatabaseSettings s) throws SQLException {
        if (s.isSqlite()) {
            return DriverManager.getConnection(s.jdbcUrl());
        }
        Connection c = DriverManager.getConnection(s.jdbcUrl(), TestDatabases.PG_USER, "");
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + s.schema().orElseThrow());
        }
        return c;
    }

    /**
     * 100,000 transactions of one IBKR account history (90,000, four accounts, 50 a trade date) and a Kraken one,
     * generated by the database itself (a bulk insert, not the pipeline), with the other tables' rows a store of
     * that size has collected: 20,000 cursors and quarantined records (most resolved), 100,000 snapshots and holdings,
     * 50,000 reconciliation rows, 2,000 transfer links.
     */
    private static void fill(Connection c, boolean sqlite) throws SQLException {
        String n = sqlite ? "n.i" : "i";
        String from = sqlite ? " FROM n" : " FROM generate_series(1, %d) AS i";
        String with = sqlite ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) " : "";
        String day = sqlite ? "date('2020-01-01', '+' || (%s) || ' days')" : "(DATE '2020-01-01' + (%s))";
        String instant = sqlite ? "(" + day + " || 'T10:00:00.000000Z')" : "(" + day + " + TIME '10:00')::timestamptz";
        String now = sqlite ? "'2024-06-01T00:00:00.000000Z'" : "TIMESTAMPTZ '2024-06-01 00:00Z'";
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO import_jobs (source_type, source_name, status, started_at) VALUES ('BROKER', '"
                    + SOURCE_ID + "', 'succeeded', " + now + ")");
            // a job per 1,000 rows, as syncs leave them: "rows after job N" reads the last jobs' rows only
            bulk(st, sqlite, ROWS, "INSERT INTO transactions (source_type, source_name, source_id, account_id, date, "
                    + "trade_date, symbol, transaction_type, quantity, price, amount, currency, fees, attributes, "
                    + "content_hash, job_id, imported_at, updated_at) SELECT CASE WHEN " + n + " % 10 = 0 THEN "
                    + "'CRYPTO_EXCHANGE' ELSE 'BROKER' END, CASE WHEN " + n + " % 10 = 0 THEN 'kraken' ELSE '"
                    + NAMESPACE + "' END, 'T' || " + n + ", 'U' || (" + n + " % 4), "
                    + instant.formatted(n + " / 50", n + " / 50") + ", " + day.formatted(n + " / 50")
                    + ", 'AAPL', CASE WHEN " + n + " % 1000 = 0 THEN 'DEPOSIT' ELSE 'BUY' END, '1', '150.25', "
                    + "'150.25', 'USD', '1.00', '{}', 'h', 1 + " + n + " / 1000, " + now + ", " + now, with, from);
            bulk(st, sqlite, 20_000, "INSERT INTO sync_cursors (source_name, stream, cursor_value, job_id, "
                    + "updated_at) SELECT 'src-' || " + n + ", 'transactions', '2024-06-01T00:00:00Z', 1, " + now,
                    with, from);
            // a tenth of them the IBKR source's (20 accounts), each snapshot's 5 holdings stored together
            bulk(st, sqlite, ROWS, "INSERT INTO holding_snapshots (job_id, source_type, source_name, account_id, "
                    + "as_of, positions, snapshot_hash) SELECT 1, 'BROKER', CASE WHEN " + n + " % 10 = 0 THEN '"
                    + NAMESPACE + "' ELSE 'bank' || (" + n + " % 10) END, 'U' || (" + n + " % 200), " + now
                    + ", 5, 'h'", with, from);
            bulk(st, sqlite, ROWS, "INSERT INTO holdings (job_id, source_type, source_name, account_id, as_of, "
                    + "symbol, quantity, currency, asset_class, attributes, snapshot_hash, snapshot_id) SELECT 1, "
                    + "'BROKER', '" + NAMESPACE + "', 'U' || (" + n + " % 200), " + now + ", 'S' || (" + n
                    + " % 5), '1', 'USD', 'STOCK', '{}', 'h', 1 + (" + n + " - 1) / 5", with, from);
            bulk(st, sqlite, 50_000, "INSERT INTO reconciliation_results (source_name, account_id, asset, "
                    + "asset_class, reported, derived, difference, status, checked_at) SELECT '" + NAMESPACE
                    + "', 'U' || (" + n + " % 200), 'A' || (" + n + " % 50), 'STOCK', '1', '1', '0', 'matches', "
                    + instant.formatted(n + " / 10000", n + " / 10000"), with, from);
            bulk(st, sqlite, 20_000, "INSERT INTO quarantine (job_id, source_type, source_name, account_id, "
                    + "source_record_id, rule, severity, reason, record, created_at, source_id, record_date, "
                    + "last_job_id, resolved_at) SELECT 1, 'BROKER', '" + NAMESPACE + "', 'U1', 'Q' || " + n
                    + ", 'r', 'ERROR', 'x', '{}', " + now + ", 'ibkr-flex-' || (" + n + " % 20), "
                    + instant.formatted(n + " / 20", n + " / 20") + ", " + n + " / 5, CASE WHEN " + n
                    + " % 20 = 0 THEN NULL ELSE " + now + " END", with, from);
            bulk(st, sqlite, 2_000, "INSERT INTO transfer_links (out_source_name, out_account_id, out_source_id, "
                    + "in_source_name, in_account_id, in_source_id, symbol, quantity, method, linked_at) SELECT "
                    + "'kraken', 'U1', 'O' || " + n + ", '" + NAMESPACE + "', 'U2', 'I' || " + n
                    + ", 'BTC', '1', 'network_tx_id', " + now, with, from);
        }
    }

    private static void bulk(Statement st, boolean sqlite, int rows, String insertSelect, String with, String from)
            throws SQLException {
        st.executeUpdate(with.formatted(rows) + insertSelect + from.formatted(rows));
    }
}
