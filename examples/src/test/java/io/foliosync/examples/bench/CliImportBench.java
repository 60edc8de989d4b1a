package io.foliosync.examples.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a user with a large account runs, measured (issue 22; not a test, nothing here asserts a time). For each
 * size (default 100,000 and 400,000 rows, {@code -Dbench.rows=100000,400000,1000000}) it writes an IBKR Flex
 * statement of that many rows (stock executions and dividends in the layout of the connector's test samples,
 * unique ids), and on each database (SQLite, and the local PostgreSQL when reachable):
 * <ol>
 *   <li><b>raw insert</b>: {@link RawFlexInsert} as its own JVM, into a schema the CLI migrated;</li>
 *   <li><b>CLI</b>: {@code java -jar foliosync.jar sync} into a fresh database (migration included, as a user's
 *       first sync), checked to store every row;</li>
 *   <li>the raw insert again (the machine's load changes during a run; ratios are given against the mean);</li>
 * </ol>
 * then CLI / raw per size and the growth factor per 4× rows of each. Last, an <b>incremental sync</b> of 1,000
 * new rows through the CLI into the database of the largest import against the same sync into an empty (migrated)
 * database. With {@code -Dbench.python=true} the issue's own baseline (Python's streaming XML parser and
 * executemany, SQLite only) runs as well.
 *
 * <pre>
 * ./mvnw -B -o -pl examples -am package -DskipTests
 * ./mvnw -B -o -q -pl examples test-compile
 * java -cp examples/target/foliosync.jar:examples/target/test-classes io.foliosync.examples.bench.CliImportBench
 * </pre>
 */
public final class CliImportBench {
    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final int INCREMENT = 1_000;
    /** 1,000,000 rows span 2015 to 2021: no row lies in the future (which validation rejects) */
    private static final int PER_DAY = 400;

    private final Path jar;
    private final Path classes;
    private final Path dir;

    private CliImportBench(Path jar, Path classes, Path dir) {
        this.jar = jar;
        this.classes = classes;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("foliosync.jar", "examples/target/foliosync.jar")).toAbsolutePath();
        Path classes = Path.of(System.getProperty("bench.classes", "examples/target/test-classes")).toAbsolutePath();
        List<Integer> sizes = new ArrayList<>();
        for (String s : System.getProperty("bench.rows", "100000,400000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        List<String> databases = new ArrayList<>(List.of(System.getProperty("bench.databases", "sqlite,postgres")
                .split(",")));
        if (databases.contains("postgres") && !postgresReachable()) {
            System.out.println("PostgreSQL at " + PG_URL + " is not reachable: PostgreSQL part skipped");
            databases.remove("postgres");
        }
        Path dir = Files.createTempDirectory("foliosync-cli-bench");
        System.out.printf(Locale.ROOT, "FolioSync CLI import bench: %s, java %s, %d cpus, sizes %s, databases %s%n",
                jar, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), sizes, databases);
        CliImportBench bench = new CliImportBench(jar, classes, dir);
        for (String db : databases) {
            bench.run(db, sizes, Boolean.getBoolean("bench.python") && db.equals("sqlite"));
        }
    }

    private void run(String db, List<Integer> sizes, boolean python) throws Exception {
        Map<Integer, double[]> times = new LinkedHashMap<>(); // cli, raw mean, python
        Target largest = null;
        for (int n : sizes) {
            Path statement = dir.resolve("flex-" + n + ".xml");
            generate(statement, n, 0, "2015-01-01");
            Target raw1 = migrated(db, "raw1-" + n);
            double r1 = raw(statement, raw1);
            Target cli = fresh(db, "cli-" + n);
            Run sync = cli.sync(statement);
            long stored = cli.count();
            if (stored != n) {
                throw new IllegalStateException("the CLI stored " + stored + " of " + n + " rows:\n"
                        + sync.output.substring(Math.max(0, sync.output.length() - 3_000)));
            }
            Target raw2 = migrated(db, "raw2-" + n);
            double r2 = raw(statement, raw2);
            double py = python ? python(statement, migrated(db, "py-" + n)) : Double.NaN;
            double rawMean = (r1 + r2) / 2;
            times.put(n, new double[] {sync.seconds, rawMean, py});
            System.out.printf(Locale.ROOT, "%s %,9d rows: CLI sync %7.2f s (exit %d) | raw insert %7.2f / %7.2f s | "
                            + "CLI / raw %.2f (vs #1 %.2f, vs #2 %.2f)%s%n", db, n, sync.seconds, sync.exit, r1, r2,
                    sync.seconds / rawMean, sync.seconds / r1, sync.seconds / r2,
                    python ? String.format(Locale.ROOT, " | python raw %.2f s, CLI / python %.2f", py,
                            sync.seconds / py) : "");
            raw1.drop();
            raw2.drop();
            if (largest != null) {
                largest.drop();
            }
            largest = cli;
            Files.delete(statement);
        }
        Integer previous = null;
        for (int n : times.keySet()) {
            if (previous != null) {
                double[] a = times.get(previous);
                double[] b = times.get(n);
                System.out.printf(Locale.ROOT, "%s growth %,d -> %,d rows (%.1fx): CLI %.2fx, raw %.2fx%s%n", db,
                        previous, n, (double) n / previous, b[0] / a[0], b[1] / a[1],
                        python ? String.format(Locale.ROOT, ", python %.2fx", b[2] / a[2]) : "");
            }
            previous = n;
        }
        // the next statement: 1,000 new rows, after the history, into the large database and into an empty one
        Path next = dir.resolve("flex-next.xml");
        generate(next, INCREMENT, 50_000_000, "2025-06-01");
        Run large = largest.sync(next);
        Target empty = migrated(db, "empty");
        Run small = empty.sync(next);
        Run large2 = largest.sync(next); // the same rows again: all skipped, the duplicate lookup on a large table
        System.out.printf(Locale.ROOT, "%s incremental sync of %,d new rows: into %,d rows %.2f s (exit %d), into an "
                        + "empty database %.2f s (exit %d): ratio %.2f; the same rows again (skipped) %.2f s%n", db,
                INCREMENT, previous, large.seconds, large.exit, small.seconds, small.exit,
                large.seconds / small.seconds, large2.seconds);
        largest.drop();
        empty.drop();
    }

    /** A database the CLI syncs into: a SQLite file or a PostgreSQL schema, with its configuration. */
    private final class Target {
        final String db;
        final String name;
        final Path config;
        final Path statementLink;

        Target(String db, String name) throws IOException {
            this.db = db;
            this.name = name;
            Path home = Files.createDirectories(dir.resolve(db + "-" + name));
            this.statementLink = home.resolve("statement.xml");
            this.config = home.resolve("data_sources.yaml");
            String database = db.equals("sqlite") ? "  database_path: " + home.resolve("fs.db") + "\n"
                    : "  database_url: " + PG_URL + "\n  database_user: postgres\n  database_schema: " + schema()
                            + "\n";
            Files.writeString(config, "global:\n" + database + "  master_key_file: " + home.resolve("master.key")
                    + "\n  data_directory: " + home + "\n  sync_frequency: manual\n"
                    + "interactive_brokers:\n  enabled: true\n  client_portal: false\n  flex:\n    files: [\""
                    + statementLink + "\"]\n");
        }

        String schema() {
            return ("bench_" + name).replace('-', '_').toLowerCase(Locale.ROOT);
        }

        String url() {
            return db.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve(db + "-" + name).resolve("fs.db") : PG_URL;
        }

        Run sync(Path statement) throws Exception {
            Files.deleteIfExists(statementLink);
            Files.createSymbolicLink(statementLink, statement);
            return cli("sync", "--config", config.toString());
        }

        Run cli(String... args) throws Exception {
            List<String> argv = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
            argv.addAll(List.of(args));
            return process(argv, dir.resolve(db + "-" + name));
        }

        long count() throws SQLException {
            try (Connection c = connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM transactions")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        Connection connect() throws SQLException {
            if (db.equals("sqlite")) {
                return DriverManager.getConnection(url());
            }
            Connection c = DriverManager.getConnection(PG_URL, "postgres", "");
            try (Statement st = c.createStatement()) {
                st.execute("SET search_path TO " + schema());
            }
            return c;
        }

        void drop() throws Exception {
            if (db.equals("postgres")) {
                try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "");
                     Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema() + " CASCADE");
                }
            }
            Path home = dir.resolve(db + "-" + name);
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Target fresh(String db, String name) throws Exception {
        Target t = new Target(db, name);
        if (db.equals("postgres")) {
            try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + t.schema() + " CASCADE");
            }
        }
        return t;
    }

    /** @return a database the CLI migrated (its `status` command), with nothing imported */
    private Target migrated(String db, String name) throws Exception {
        Target t = fresh(db, name);
        Run status = t.cli("status", "--config", t.config.toString());
        if (status.exit != 0) {
            throw new IllegalStateException("foliosync status failed:\n" + status.output);
        }
        return t;
    }

    private double raw(Path statement, Target t) throws Exception {
        List<String> argv = new ArrayList<>(List.of(java(), "-cp", jar + java.io.File.pathSeparator + classes,
                RawFlexInsert.class.getName(), statement.toString(), t.url()));
        if (t.db.equals("postgres")) {
            argv.add(t.schema());
        }
        Run r = process(argv, dir);
        if (r.exit != 0) {
            throw new IllegalStateException("raw insert failed:\n" + r.output);
        }
        return r.seconds;
    }

    /** The baseline: Python's streaming XML parser and executemany, a transaction per 1,000 rows, WAL. */
    private double python(Path statement, Target t) throws Exception {
        Path script = dir.resolve("raw.py");
        Files.writeString(script, """
                import sqlite3, sys, hashlib, xml.etree.ElementTree as ET
                from datetime import datetime, timezone
                db = sqlite3.connect(sys.argv[2]); db.execute('PRAGMA journal_mode=WAL'); db.execute('PRAGMA synchronous=NORMAL')
                now = datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%fZ')
                sql = ('INSERT INTO transactions (source_type, source_name, source_id, account_id, date, trade_date, symbol, name, '
                       'transaction_type, quantity, price, amount, currency, fees, fee_currency, description, raw_type, attributes, '
                       'content_hash, job_id, imported_at, updated_at, portfolio_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)')
                rows = []
                def flush():
                    db.executemany(sql, rows); db.commit(); rows.clear()
                for ev, e in ET.iterparse(sys.argv[1]):
                    if e.tag not in ('Trade', 'CashTransaction'): continue
                    a = e.attrib; trade = e.tag == 'Trade'
                    at = datetime.strptime(a['dateTime'], '%Y%m%d;%H%M%S').strftime('%Y-%m-%dT%H:%M:%S.000000Z')
                    d = a['tradeDate'] if trade else a['reportDate']
                    h = hashlib.sha256('\\x1f'.join(a.values()).encode()).hexdigest()
                    rows.append(('BROKER', 'ibkr', a['transactionID'], a['accountId'], at, d[:4] + '-' + d[4:6] + '-' + d[6:],
                                 a['symbol'], a['description'], ('BUY' if a['buySell'] == 'BUY' else 'SELL') if trade else 'DIVIDEND',
                                 a['quantity'].lstrip('-') if trade else '0', a['tradePrice'] if trade else None,
                                 a['proceeds'] if trade else a['amount'], a['currency'], a['ibCommission'].lstrip('-') if trade else '0',
                                 a['ibCommissionCurrency'] if trade else None, a['description'], 'ExchTrade' if trade else a['type'],
                                 '{}', h, 1, now, now, 'default'))
                    e.clear()
                    if len(rows) == 1000: flush()
                flush()
                """);
        Run r = process(List.of("python3", script.toString(), statement.toString(),
                dir.resolve("sqlite-" + t.name).resolve("fs.db").toString()), dir);
        if (r.exit != 0) {
            throw new IllegalStateException("python raw insert failed:\n" + r.output);
        }
        t.drop();
        return r.seconds;
    }

    private record Run(int exit, double seconds, String output) {
    }

    private static Run process(List<String> argv, Path workDir) throws Exception {
        Path log = Files.createTempFile("bench", ".log");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FOLIOSYNC"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("did not finish: " + argv);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String out = Files.readString(log);
        Files.delete(log);
        return new Run(p.exitValue(), seconds, out);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static boolean postgresReachable() {
        try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Writes a statement of {@code n} rows of one account: four in five an execution (BUY or SELL of four stocks),
     * one in five a dividend ({@code CashTransaction}), ids unique from {@code firstId}, trade dates from
     * {@code from} on, {@value #PER_DAY} rows a day.
     */
    public static void generate(Path file, int n, long firstId, String from) throws IOException {
        String[][] symbols = {{"MSFT", "272093", "USD", "NASDAQ"}, {"SAP", "14204", "EUR", "IBIS"},
                {"AAPL", "265598", "USD", "NASDAQ"}, {"NESN", "100002", "CHF", "EBS"}};
        java.time.LocalDate start = java.time.LocalDate.parse(from);
        java.time.format.DateTimeFormatter day = java.time.format.DateTimeFormatter.BASIC_ISO_DATE;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<FlexQueryResponse queryName=\"bench\" type=\"AF\">\n<FlexStatements count=\"1\">\n");
            w.write("<FlexStatement accountId=\"U7654321\" fromDate=\"" + start.format(day) + "\" toDate=\""
                    + start.plusDays(n / PER_DAY + 1).format(day) + "\" period=\"\" whenGenerated=\""
                    + start.plusDays(n / PER_DAY + 2).format(day) + ";063015\">\n");
            w.write("<AccountInformation accountId=\"U7654321\" currency=\"USD\" />\n<Trades>\n");
            StringBuilder dividends = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String[] s = symbols[i % symbols.length];
                String date = start.plusDays(i / PER_DAY).format(day);
                String time = String.format(Locale.ROOT, "%02d%02d%02d", 9 + (i % PER_DAY) / 50, i % 50, i % 60);
                long id = firstId + i;
                if (i % 5 == 4) {
                    dividends.append("<CashTransaction accountId=\"U7654321\" acctAlias=\"Sample IRA\" model=\"\" "
                            + "currency=\"").append(s[2]).append("\" fxRateToBase=\"1\" assetCategory=\"STK\" "
                            + "subCategory=\"COMMON\" symbol=\"").append(s[0]).append("\" description=\"").append(s[0])
                            .append(" CASH DIVIDEND 0.75 PER SHARE (Ordinary Dividend)\" conid=\"").append(s[1])
                            .append("\" securityID=\"\" securityIDType=\"\" cusip=\"\" isin=\"\" listingExchange=\"")
                            .append(s[3]).append("\" multiplier=\"1\" dateTime=\"").append(date).append(';')
                            .append(time).append("\" settleDate=\"").append(date).append("\" amount=\"")
                            .append(1 + i % 90).append(".5\" type=\"Dividends\" tradeID=\"\" code=\"\" "
                            + "transactionID=\"").append(3_000_000_000L + id).append("\" reportDate=\"")
                            .append(date).append("\" exDate=\"").append(date).append("\" clientReference=\"\" "
                            + "actionID=\"").append(130_000_000L + id).append("\" levelOfDetail=\"DETAIL\" />\n");
                    continue;
                }
                boolean buy = i % 3 != 0;
                int qty = 1 + i % 50;
                String price = (100 + i % 400) + "." + (10 + i % 90);
                // proceeds are quantity × price, as IBKR reports them (the pipeline's amount check holds)
                java.math.BigDecimal proceeds = new java.math.BigDecimal(price).multiply(java.math.BigDecimal.valueOf(qty));
                w.write("<Trade accountId=\"U7654321\" acctAlias=\"Sample IRA\" model=\"\" currency=\"" + s[2]
                        + "\" fxRateToBase=\"1\" assetCategory=\"STK\" subCategory=\"COMMON\" symbol=\"" + s[0]
                        + "\" description=\"" + s[0] + " COMMON\" conid=\"" + s[1] + "\" securityID=\"\" "
                        + "securityIDType=\"\" cusip=\"\" isin=\"\" listingExchange=\"" + s[3] + "\" "
                        + "underlyingConid=\"\" underlyingSymbol=\"\" issuer=\"\" multiplier=\"1\" strike=\"\" "
                        + "expiry=\"\" tradeID=\"" + (900_000_000L + id) + "\" putCall=\"\" reportDate=\"" + date
                        + "\" principalAdjustFactor=\"\" dateTime=\"" + date + ";" + time + "\" tradeDate=\"" + date
                        + "\" settleDateTarget=\"\" transactionType=\"ExchTrade\" exchange=\"" + s[3]
                        + "\" quantity=\"" + (buy ? "" : "-") + qty + "\" tradePrice=\"" + price + "\" tradeMoney=\""
                        + (buy ? "" : "-") + proceeds + "\" proceeds=\"" + (buy ? "-" : "") + proceeds
                        + "\" taxes=\"0\" ibCommission=\"-1.25\" "
                        + "ibCommissionCurrency=\"" + s[2] + "\" netCash=\"0\" closePrice=\"0\" "
                        + "openCloseIndicator=\"O\" notes=\"\" cost=\"0\" fifoPnlRealized=\"0\" mtmPnl=\"0\" "
                        + "transactionID=\"" + (2_000_000_000L + id) + "\" buySell=\"" + (buy ? "BUY" : "SELL")
                        + "\" ibOrderID=\"" + (600_000_000L + id) + "\" ibExecID=\"0000e1a2." + Long.toHexString(id)
                        + ".01.01\" orderTime=\"\" levelOfDetail=\"EXECUTION\" orderType=\"LMT\" isAPIOrder=\"N\" />\n");
            }
            w.write("</Trades>\n<CashTransactions>\n");
            w.write(dividends.toString());
            w.write("</CashTransactions>\n</FlexStatement>\n</FlexStatements>\n</FlexQueryResponse>\n");
        }
    }
}
