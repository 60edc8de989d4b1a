package io.foliosync.imports.bench;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.json.Json;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.StoredRows;
import io.foliosync.imports.SyncReport;
import io.foliosync.imports.SyntheticConnector;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.store.PortfolioStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * import-core's benchmark (not a test). Run from the repository root:
 *
 * <pre>./mvnw -q -o -pl import-core test-compile exec:exec@bench</pre>
 *
 * (the execution runs this class in a JVM of its own with {@code -Xmx256m}; pass another count with
 * {@code -Dbench.records=200000}). Prints, in one run: the pipeline's records/s importing N synthetic transactions
 * into SQLite and its ratio to a raw JDBC batch insert of the same rows into the same kind of database; the
 * re-import's speed (zero rows written) relative to the first import; the peak heap of the import; and how long
 * {@code syncAll()} takes for four sources that each answer after 1 s (MockWebServer).
 */
public final class ImportBench {
    private static final int PAGE = 1000;
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ImportBench() {
    }

    public static void main(String[] args) throws Exception {
        long n = Long.getLong("bench.records", 1_000_000L);
        Set<String> databases = Set.of(System.getProperty("bench.databases", "sqlite,postgres").split(","));
        Path dir = Files.createTempDirectory("foliosync-bench");
        if (!databases.contains("sqlite")) {
            postgres(n);
            System.exit(0);
        }
        System.out.printf("FolioSync import-core bench: %,d synthetic transactions, pages of %d, SQLite in %s%n",
                n, PAGE, dir);
        System.out.printf("JVM %s, max heap %d MB, %d processors%n", System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        // 1. baseline: raw JDBC batch insert of the very rows the pipeline stores (same identities, hashes,
        //    symbols), into a freshly migrated database (same table, same indexes); values computed untimed
        Measure raw1 = rawInsert(dir.resolve("raw1.db"), n);
        System.out.printf("raw JDBC batch insert #1: %s%n", raw1.describe(n));

        // 2. the pipeline: normalize -> validate -> dedup -> store
        Path db = dir.resolve("pipeline.db");
        Measure first;
        try (PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(db));
             ImportOrchestrator sync = ImportOrchestrator.builder(store)
                     .addConnector(new SyntheticConnector("synthetic", n, PAGE, Duration.ZERO)).build()) {
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            JobResult result = sync.sync("synthetic");
            first = new Measure(System.nanoTime() - t0, cpuNanos() - c0);
            long peak = peakHeapBytes();
            System.out.printf("pipeline first import:    %s  (%s)%n", first.describe(n), result.counts());
            System.out.printf("peak heap during import:  %d MB (sum of heap pool peaks)%n", peak >> 20);

            long t1 = System.nanoTime();
            JobResult again = sync.sync("synthetic");
            double againSeconds = seconds(t1);
            System.out.printf("pipeline re-import:       %6.2f s  %,10.0f records/s  %.2f x first import, rows written "
                    + "%d  (%s)%n", againSeconds, n / againSeconds, first.wallSeconds() / againSeconds,
                    again.counts().written(), again.counts());
        }

        // 3. the baseline again, after the pipeline: the machine's load changes between runs
        Path raw2Db = dir.resolve("raw2.db");
        Measure raw2 = rawInsert(raw2Db, n);
        System.out.printf("raw JDBC batch insert #2: %s%n", raw2.describe(n));
        System.out.printf("pipeline / raw ratio (target >= 0.5): wall %.2f and %.2f (mean %.2f); process CPU %.2f "
                        + "and %.2f%n", raw1.wallSeconds() / first.wallSeconds(), raw2.wallSeconds() / first.wallSeconds(),
                (raw1.wallSeconds() + raw2.wallSeconds()) / 2 / first.wallSeconds(),
                raw1.cpuSeconds() / first.cpuSeconds(), raw2.cpuSeconds() / first.cpuSeconds());
        System.out.printf("baseline rows identical to the pipeline's (identity, content hash, symbol, amount): "
                + "%,d of %,d%n", sameRows(db, raw2Db), n);

        // 4. four sources that each take 1 s to answer
        slowSources(dir);

        // 5. the same rows into PostgreSQL: pipeline, raw batched insert, COPY
        if (databases.contains("postgres")) {
            postgres(n);
        }
        System.exit(0);
    }

    /**
     * The pipeline against a raw JDBC batched insert and against COPY of the same rows, each into a freshly
     * migrated schema of its own on the PostgreSQL of {@code FOLIOSYNC_TEST_PG_URL} (default the local test
     * server), with the driver settings the store uses. Skipped with a message when that server is unreachable.
     */
    private static void postgres(long n) throws Exception {
        String url = Optional.ofNullable(System.getenv("FOLIOSYNC_TEST_PG_URL"))
                .orElse("jdbc:postgresql://127.0.0.1:5432/test");
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.isValid(2);
        } catch (java.sql.SQLException e) {
            System.out.printf("PostgreSQL at %s is not reachable (%s): PostgreSQL bench skipped%n", url,
                    e.getMessage());
            return;
        }
        String version;
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            version = rs.getString(1);
        }
        System.out.printf("%nPostgreSQL %s at %s: %,d synthetic transactions, pages of %d%n", version, url, n, PAGE);
        Rows rows = Rows.of(n);
        String tag = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        List<DatabaseSettings> schemas = new ArrayList<>();
        try {
            DatabaseSettings raw1 = pgSchema(url, "fs_bench_raw1_" + tag, schemas);
            Measure r1 = pgRawInsert(raw1, rows);
            System.out.printf("raw JDBC batched insert #1: %s%n", r1.describe(n));

            DatabaseSettings copy = pgSchema(url, "fs_bench_copy_" + tag, schemas);
            Measure cp = pgCopy(copy, rows);
            System.out.printf("COPY (CopyManager):         %s%n", cp.describe(n));

            DatabaseSettings pipe = pgSchema(url, "fs_bench_pipe_" + tag, schemas);
            Measure first;
            try (PortfolioStore store = PortfolioStore.open(pipe);
                 ImportOrchestrator sync = ImportOrchestrator.builder(store)
                         .addConnector(new SyntheticConnector("synthetic", n, PAGE, Duration.ZERO)).build()) {
                System.gc();
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                JobResult result = sync.sync("synthetic");
                first = new Measure(System.nanoTime() - t0, cpuNanos() - c0);
                System.out.printf("pipeline first import:      %s  (%s)%n", first.describe(n), result.counts());
                long t1 = System.nanoTime();
                JobResult again = sync.sync("synthetic");
                double againSeconds = seconds(t1);
                System.out.printf("pipeline re-import:         %6.2f s  %,10.0f records/s  %.2f x first import, rows "
                        + "written %d%n", againSeconds, n / againSeconds, first.wallSeconds() / againSeconds,
                        again.counts().written());
            }

            DatabaseSettings raw2 = pgSchema(url, "fs_bench_raw2_" + tag, schemas);
            Measure r2 = pgRawInsert(raw2, rows);
            System.out.printf("raw JDBC batched insert #2: %s%n", r2.describe(n));
            double raw = (r1.wallSeconds() + r2.wallSeconds()) / 2;
            System.out.printf("PostgreSQL pipeline / raw batched insert (target >= 0.7): wall %.2f and %.2f (mean "
                    + "%.2f); process CPU %.2f and %.2f%n", r1.wallSeconds() / first.wallSeconds(),
                    r2.wallSeconds() / first.wallSeconds(), raw / first.wallSeconds(),
                    r1.cpuSeconds() / first.cpuSeconds(), r2.cpuSeconds() / first.cpuSeconds());
            System.out.printf("PostgreSQL pipeline / COPY: wall %.2f; raw batched insert (mean) / COPY: wall %.2f%n",
                    cp.wallSeconds() / first.wallSeconds(), cp.wallSeconds() / raw);
            System.out.printf("rows identical to the pipeline's (identity, content hash, symbol, amount, date): "
                    + "raw %,d and COPY %,d of %,d%n", pgSameRows(url, pipe, raw2), pgSameRows(url, pipe, copy), n);
        } finally {
            for (DatabaseSettings s : schemas) {
                try (Connection c = DriverManager.getConnection(url, "postgres", "");
                     java.sql.Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + s.schema().orElseThrow() + " CASCADE");
                }
            }
        }
    }

    /** A freshly migrated schema (same tables and indexes as the pipeline's), dropped when the bench ends. */
    private static DatabaseSettings pgSchema(String url, String schema, List<DatabaseSettings> created) {
        DatabaseSettings s = DatabaseSettings.postgres(url, "postgres", Optional.empty()).withSchema(schema);
        created.add(s);
        PortfolioStore.open(s).close();
        return s;
    }

    /** A connection as the store's pool makes them: same url, driver properties and schema. */
    private static Connection pgConnection(DatabaseSettings s) throws java.sql.SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        io.foliosync.imports.store.JdbcPortfolioStore.driverProperties(s).forEach(p::setProperty);
        Connection c = DriverManager.getConnection(s.jdbcUrl(), p);
        c.setSchema(s.schema().orElseThrow());
        return c;
    }

    private static Measure pgRawInsert(DatabaseSettings s, Rows rows) throws Exception {
        System.gc();
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        java.time.OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        try (Connection c = pgConnection(s); PreparedStatement ps = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            for (long i = 0; i < rows.n; i++) {
                Transaction t = SyntheticConnector.transaction("synthetic", i); // what the source hands over
                ps.setString(1, "broker");
                ps.setString(2, "synthetic");
                ps.setString(3, rows.id(i, t));
                ps.setString(4, t.accountId());
                ps.setObject(5, t.date().atOffset(ZoneOffset.UTC));
                ps.setObject(6, t.tradeDate());
                ps.setString(7, rows.symbol(t));
                ps.setString(8, null);
                ps.setString(9, t.type().name());
                ps.setBigDecimal(10, t.quantity());
                ps.setBigDecimal(11, t.price().orElse(null));
                ps.setBigDecimal(12, t.amount());
                ps.setString(13, t.currency());
                ps.setBigDecimal(14, t.fees());
                ps.setString(15, null);
                ps.setString(16, t.description().orElse(null));
                ps.setString(17, null);
                ps.setString(18, "{}");
                ps.setString(19, rows.hash(i));
                ps.setLong(20, 1);
                ps.setObject(21, now);
                ps.setObject(22, now);
                ps.addBatch();
                if ((i + 1) % PAGE == 0 || i == rows.n - 1) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
        return new Measure(System.nanoTime() - t0, cpuNanos() - c0);
    }

    /** COPY of the same rows in pages of {@link #PAGE}, one transaction each, as text. */
    private static Measure pgCopy(DatabaseSettings s, Rows rows) throws Exception {
        System.gc();
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        String now = Instant.now().toString();
        try (Connection c = pgConnection(s)) {
            c.setAutoCommit(false);
            org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            String sql = "COPY transactions (" + COLUMNS + ") FROM STDIN";
            StringBuilder page = new StringBuilder(PAGE * 300);
            for (long i = 0; i < rows.n; i++) {
                Transaction t = SyntheticConnector.transaction("synthetic", i);
                page.append("broker\tsynthetic\t").append(rows.id(i, t)).append('\t').append(t.accountId())
                        .append('\t').append(t.date()).append('\t').append(t.tradeDate()).append('\t')
                        .append(rows.symbol(t)).append("\t\\N\t").append(t.type().name()).append('\t')
                        .append(t.quantity().toPlainString()).append('\t')
                        .append(t.price().map(BigDecimal::toPlainString).orElse("\\N")).append('\t')
                        .append(t.amount().toPlainString()).append('\t').append(t.currency()).append('\t')
                        .append(t.fees().toPlainString()).append("\t\\N\t")
                        .append(t.description().orElse("\\N")).append("\t\\N\t{}\t").append(rows.hash(i))
                        .append("\t1\t").append(now).append('\t').append(now).append('\n');
                if ((i + 1) % PAGE == 0 || i == rows.n - 1) {
                    copy.copyIn(sql, new java.io.StringReader(page.toString()));
                    c.commit();
                    page.setLength(0);
                }
            }
        }
        return new Measure(System.nanoTime() - t0, cpuNanos() - c0);
    }

    private static long pgSameRows(String url, DatabaseSettings pipeline, DatabaseSettings other) throws Exception {
        String p = pipeline.schema().orElseThrow();
        String r = other.schema().orElseThrow();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + p + ".transactions p JOIN " + r
                     + ".transactions r ON r.source_type = p.source_type AND r.source_name = p.source_name AND "
                     + "r.source_id = p.source_id AND r.account_id = p.account_id WHERE r.content_hash = p.content_hash "
                     + "AND r.symbol = p.symbol AND r.amount = p.amount AND r.date = p.date")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String COLUMNS = "source_type, source_name, source_id, account_id, date, trade_date, "
            + "symbol, name, transaction_type, quantity, price, amount, currency, fees, fee_currency, description, "
            + "raw_type, attributes, content_hash, job_id, updated_at, imported_at";
    private static final String INSERT = "INSERT INTO transactions (" + COLUMNS + ") VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * What the pipeline computes and a baseline must not (so it does no pipeline work inside its timer): the
     * identities of records without a source id, every content hash, the canonical symbols.
     */
    private static final class Rows {
        final long n;
        final String[] hashIds;
        final byte[] hashes;
        final Map<String, String> symbols = new java.util.HashMap<>();
        private final HexFormat hex = HexFormat.of();

        private Rows(long n) {
            this.n = n;
            this.hashIds = new String[(int) (n / 5 + 1)];
            this.hashes = new byte[(int) n * 32];
        }

        static Rows of(long n) {
            Rows r = new Rows(n);
            for (long i = 0; i < n; i++) {
                String[] stored = StoredRows.stored("synthetic", i);
                if (i % 5 == 0) {
                    r.hashIds[(int) (i / 5)] = stored[0];
                }
                System.arraycopy(r.hex.parseHex(stored[1]), 0, r.hashes, (int) i * 32, 32);
                if (i < 64) {
                    r.symbols.put(SyntheticConnector.transaction("synthetic", i).symbol().orElseThrow(), stored[2]);
                }
            }
            return r;
        }

        String id(long i, Transaction t) {
            return i % 5 == 0 ? hashIds[(int) (i / 5)] : t.sourceId().orElseThrow();
        }

        String symbol(Transaction t) {
            return symbols.get(t.symbol().orElseThrow());
        }

        String hash(long i) {
            return hex.formatHex(hashes, (int) i * 32, (int) i * 32 + 32);
        }
    }

    /** Wall-clock and process CPU time of one run. */
    record Measure(long wallNanos, long cpuNanos) {
        double wallSeconds() {
            return wallNanos / 1e9;
        }

        double cpuSeconds() {
            return cpuNanos / 1e9;
        }

        String describe(long n) {
            return String.format("%6.2f s  %,10.0f records/s  (process CPU %.2f s)", wallSeconds(), n / wallSeconds(),
                    cpuSeconds());
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Measure rawInsert(Path file, long n) throws Exception {
        PortfolioStore.open(DatabaseSettings.sqlite(file)).close(); // migrated: same table and indexes
        // untimed: the identities of records without a source id, every content hash, the canonical symbols
        String[] hashIds = new String[(int) (n / 5 + 1)];
        byte[] hashes = new byte[(int) n * 32];
        Map<String, String> symbols = new java.util.HashMap<>();
        HexFormat hex = HexFormat.of();
        for (long i = 0; i < n; i++) {
            String[] stored = StoredRows.stored("synthetic", i);
            if (i % 5 == 0) {
                hashIds[(int) (i / 5)] = stored[0];
            }
            System.arraycopy(hex.parseHex(stored[1]), 0, hashes, (int) i * 32, 32);
            if (i < 64) {
                symbols.put(SyntheticConnector.transaction("synthetic", i).symbol().orElseThrow(), stored[2]);
            }
        }
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("busy_timeout", "10000");
        p.setProperty("foreign_keys", "true");
        p.setProperty("cache_size", "-65536"); // the same settings as JdbcPortfolioStore
        String sql = "INSERT INTO transactions (source_type, source_name, source_id, account_id, date, trade_date, "
                + "symbol, name, transaction_type, quantity, price, amount, currency, fees, fee_currency, description, "
                + "raw_type, attributes, content_hash, job_id, updated_at, imported_at) VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        System.gc();
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        String now = TS.format(Instant.now());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, p);
             PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (long i = 0; i < n; i++) {
                Transaction t = SyntheticConnector.transaction("synthetic", i); // what the source hands over
                ps.setString(1, "broker");
                ps.setString(2, "synthetic");
                ps.setString(3, i % 5 == 0 ? hashIds[(int) (i / 5)] : t.sourceId().orElseThrow());
                ps.setString(4, t.accountId());
                ps.setString(5, TS.format(t.date()));
                ps.setString(6, t.tradeDate().toString());
                ps.setString(7, symbols.get(t.symbol().orElseThrow()));
                ps.setString(8, null);
                ps.setString(9, t.type().name());
                ps.setString(10, t.quantity().toPlainString());
                ps.setString(11, t.price().map(BigDecimal::toPlainString).orElse(null));
                ps.setString(12, t.amount().toPlainString());
                ps.setString(13, t.currency());
                ps.setString(14, t.fees().toPlainString());
                ps.setString(15, null);
                ps.setString(16, t.description().orElse(null));
                ps.setString(17, null);
                ps.setString(18, "{}");
                ps.setString(19, hex.formatHex(hashes, (int) i * 32, (int) i * 32 + 32));
                ps.setLong(20, 1);
                ps.setString(21, now);
                ps.setString(22, now);
                ps.addBatch();
                if ((i + 1) % PAGE == 0 || i == n - 1) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
        return new Measure(System.nanoTime() - t0, cpuNanos() - c0);
    }

    /** @return rows of the baseline equal to the pipeline's in identity, content hash, symbol and amount */
    private static long sameRows(Path pipelineDb, Path rawDb) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + pipelineDb);
             java.sql.Statement st = c.createStatement()) {
            st.execute("ATTACH DATABASE '" + rawDb.toString().replace("'", "''") + "' AS raw");
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM transactions p JOIN raw.transactions r "
                    + "ON r.source_type = p.source_type AND r.source_name = p.source_name AND r.source_id = p.source_id "
                    + "AND r.account_id = p.account_id WHERE r.content_hash = p.content_hash AND r.symbol = p.symbol "
                    + "AND r.amount = p.amount AND r.date = p.date")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void slowSources(Path dir) throws Exception {
        try (MockWebServer server = new MockWebServer();
             PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(dir.resolve("slow.db")))) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse.Builder()
                            .addHeader("Content-Type", "application/json")
                            .body("[{\"id\":\"1\",\"date\":\"2024-01-02T15:00:00Z\",\"symbol\":\"AAPL\","
                                    + "\"qty\":\"2\",\"price\":\"150\"}]")
                            .headersDelay(1, TimeUnit.SECONDS)
                            .build();
                }
            });
            server.start();
            OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
            ImportOrchestrator.Builder b = ImportOrchestrator.builder(store)
                    .maxConcurrency(4);
            for (int i = 1; i <= 4; i++) {
                b.addConnector(new HttpSource("slow" + i, http, server.url("/source" + i + "/transactions").toString()));
            }
            try (ImportOrchestrator sync = b.build()) {
                long t0 = System.nanoTime();
                SyncReport report = sync.syncAll();
                double s = seconds(t0);
                System.out.printf("syncAll() of 4 sources answering after 1 s each: %.2f s (target < 1.5 s), all "
                        + "succeeded: %s%n", s, report.allSucceeded());
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** A source behind HTTP: one GET, a JSON list of trades. */
    static final class HttpSource extends AbstractConnector {
        private final String id;
        private final OkHttpClient http;
        private final String url;

        HttpSource(String id, OkHttpClient http, String url) {
            super(Clock.systemUTC());
            this.id = id;
            this.http = http;
            this.url = url;
        }

        @Override
        public ConnectorMetadata metadata() {
            return new ConnectorMetadata(id, ConnectorType.BROKER, "1.0", "slow http source", Set.of(), false, false,
                    Optional.empty(), Optional.empty());
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.TRANSACTIONS);
        }

        @Override
        public HealthStatus healthCheck() {
            return HealthStatus.healthy("ok", Instant.now(), Duration.ZERO);
        }

        @Override
        protected AuthenticationResult doAuthenticate() {
            return AuthenticationResult.success("ok");
        }

        @Override
        protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
            try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.readTree(r.body().string());
                List<Transaction> out = new ArrayList<>();
                for (Map<String, Object> row : rows) {
                    BigDecimal qty = new BigDecimal(String.valueOf(row.get("qty")));
                    BigDecimal price = new BigDecimal(String.valueOf(row.get("price")));
                    Instant date = Instant.parse(String.valueOf(row.get("date")));
                    out.add(Transaction.builder().date(date).tradeDate(LocalDate.ofInstant(date, ZoneOffset.UTC))
                            .symbol(String.valueOf(row.get("symbol"))).type(TransactionType.BUY).quantity(qty)
                            .price(price).amount(qty.multiply(price)).currency("USD")
                            .sourceId(String.valueOf(row.get("id"))).accountId("A").source(id).build());
                }
                return PagedResult.ofList(out);
            } catch (java.io.IOException e) {
                throw new DataFetchException(id, url, "request failed", e);
            }
        }
    }
}
