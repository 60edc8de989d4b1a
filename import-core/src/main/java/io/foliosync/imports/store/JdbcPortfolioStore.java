package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.imports.query.StoredAccount;
import io.foliosync.imports.query.StoredTransaction;
import io.foliosync.imports.query.TransactionPage;
import io.foliosync.imports.query.JobRecord;
import io.foliosync.imports.query.HoldingSnapshot;
import io.foliosync.imports.query.QuarantineEntry;
import io.foliosync.imports.query.TransactionPageQuery;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.api.sink.SinkContext;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.JobStatus;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.pipeline.TransactionBatch;
import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.reconcile.LinkedTransfer;
import io.foliosync.imports.reconcile.ReconciliationCheckpoint;
import io.foliosync.imports.reconcile.TransferLink;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.apiguardian.api.API;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC {@link PortfolioStore} for SQLite (embedded default, {@code data/foliosync.db}) and PostgreSQL.
 * Opening migrates the schema with Flyway (one history, {@code db/migration/foliosync}).
 *
 * <p>Each concern has its table class ({@code JobTable} with the source locks, {@code CursorTable},
 * {@code AccountTable}, {@code HoldingTable}, {@code TransactionTable}, {@code QuarantineTable}, {@code ReconciliationTable},
 * {@code TransferLinkTable}, {@link DatabaseCredentialStore}); this class opens, migrates and pools the database and runs their work in
 * transactions.
 *
 * <p>SQLite runs in WAL mode with a busy timeout, and all writes of this store go through one lock: one
 * writer, any number of readers. PostgreSQL writes run concurrently; a source being synced is additionally
 * claimed with a session advisory lock, so two processes never sync the same source at once.
 */
@API(status = INTERNAL, since = "0.1")
public final class JdbcPortfolioStore implements PortfolioStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPortfolioStore.class);

    /** The portfolio of the YAML/CLI single-user mode, and of every row written before portfolios existed. */
    public static final String DEFAULT_PORTFOLIO = "default";

    private final DatabaseSettings settings;
    private final SqlDialect dialect;
    private final HikariDataSource dataSource;
    private final ReentrantLock writeLock;
    private final String portfolio;
    private final boolean ownsPool;
    private final CursorTable cursors;
    private final JobTable jobs;
    private final AccountTable accountTable;
    private final HoldingTable holdingTable;
    private final QuarantineTable quarantine;
    private final TransactionTable transactions;
    private final ReconciliationTable reconciliations;
    private final ReconciliationCheckpointTable checkpoints;
    private final TransferLinkTable transferLinks;
    private final TableStatistics statistics;
    private final SinkTable sinks;

    private JdbcPortfolioStore(DatabaseSettings settings) {
        this(settings, SqlDialect.of(settings.jdbcUrl()), null, new ReentrantLock(), DEFAULT_PORTFOLIO, true);
    }

    private JdbcPortfolioStore(DatabaseSettings settings, SqlDialect dialect, HikariDataSource pool,
                               ReentrantLock writeLock, String portfolio, boolean ownsPool) {
        this.settings = settings;
        this.dialect = dialect;
        this.dataSource = pool != null ? pool : new HikariDataSource(poolConfig(settings, dialect));
        this.writeLock = writeLock;
        this.portfolio = portfolio;
        this.ownsPool = ownsPool;
        this.statistics = new TableStatistics(this);
        this.cursors = new CursorTable(this);
        this.accountTable = new AccountTable(this);
        this.holdingTable = new HoldingTable(this);
        this.quarantine = new QuarantineTable(this);
        this.jobs = new JobTable(this, cursors, quarantine);
        this.transactions = new TransactionTable(this, quarantine);
        this.reconciliations = new ReconciliationTable(this);
        this.checkpoints = new ReconciliationCheckpointTable(this);
        this.transferLinks = new TransferLinkTable(this);
        this.sinks = new SinkTable(this);
    }

    /**
     * Opens (creating the SQLite file's directory when needed) and migrates the database.
     *
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static JdbcPortfolioStore open(DatabaseSettings settings) {
        Objects.requireNonNull(settings, "settings");
        // an in-memory database (jdbc:sqlite::memory:) has no file to protect
        Optional<Path> file = settings.sqliteFile().filter(SourceFileLocks::isFile).map(Path::toAbsolutePath);
        file.ifPresent(JdbcPortfolioStore::prepareOwnerOnly);
        JdbcPortfolioStore store;
        try {
            store = new JdbcPortfolioStore(settings);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + settings.redactedUrl() + ": " + e.getMessage(), e);
        }
        try {
            store.migrate();
            file.ifPresent(JdbcPortfolioStore::restrictSidecars);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e instanceof StoreException se ? se
                    : new StoreException("cannot migrate " + settings.redactedUrl() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The database holds a user's whole financial history, so it is owner-only (0600, its directory 0700 when this
     * creates it). The file is created empty with those permissions before SQLite opens it (SQLite takes an empty
     * file for a new database), and a file an earlier version created 0644 is tightened. SQLite creates the
     * {@code -wal} and {@code -shm} files itself, each time they are missing (after the last connection closed, or
     * a checkpoint truncated them), and gives them the permissions of the database file (os_unix.c,
     * findCreateFileMode): so the database file's 0600 is what keeps them owner-only. {@link #restrictSidecars}
     * tightens ones an earlier version left behind.
     */
    private static void prepareOwnerOnly(Path file) {
        try {
            if (file.getParent() != null) {
                io.foliosync.connectors.api.secrets.OwnerOnlyFiles.createDirectories(file.getParent());
            }
            io.foliosync.connectors.api.secrets.OwnerOnlyFiles.createOrRestrict(file);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the database file " + file + " owner-only", e);
        }
        restrictSidecars(file);
    }

    private static void restrictSidecars(Path file) {
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            Path sidecar = file.resolveSibling(file.getFileName() + suffix);
            try {
                if (io.foliosync.connectors.api.secrets.OwnerOnlyFiles.restrict(sidecar)) {
                    LOG.info("made {} owner-only (0600): it was readable by others", sidecar);
                }
            } catch (java.io.IOException e) {
                LOG.warn("cannot make {} owner-only: {}", sidecar, e.toString());
            }
        }
    }

    public DatabaseSettings settings() {
        return settings;
    }

    @Override
    public String portfolio() {
        return portfolio;
    }

    /**
     * @return a view of this store whose reads and writes are the portfolio's rows only, sharing this store's
     *         connection pool; closing the view leaves the pool open (closing this store closes it)
     * @throws IllegalArgumentException for an id that is not a portfolio id ({@link PortfolioIds})
     * @throws UnsupportedOperationException on SQLite for any portfolio but the default one
     */
    @Override
    public JdbcPortfolioStore forPortfolio(String portfolioId) {
        PortfolioIds.check(portfolioId);
        if (portfolioId.equals(portfolio)) {
            return this;
        }
        if (dialect == SqlDialect.SQLITE && !portfolioId.equals(DEFAULT_PORTFOLIO)) {
            throw new UnsupportedOperationException("portfolio '" + portfolioId + "': an SQLite database holds the "
                    + "default portfolio only; serve several portfolios from PostgreSQL (docs/scaling.md)");
        }
        return new JdbcPortfolioStore(settings, dialect, dataSource, writeLock, portfolioId, false);
    }

    /** @return the portfolios this database serves and their registered sources */
    public PortfolioRegistry registry() {
        return new PortfolioRegistry(this);
    }

    /** @return the pool, for the clustered scheduler that keeps its executions in the same database */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    @Override
    public String location() {
        return settings.sqliteFile().map(f -> f.toAbsolutePath().toString()).orElseGet(settings::redactedUrl);
    }

    private static HikariConfig poolConfig(DatabaseSettings s, SqlDialect dialect) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(s.jdbcUrl());
        c.setPoolName("foliosync-" + (dialect == SqlDialect.SQLITE ? "sqlite" : "postgres"));
        s.user().ifPresent(c::setUsername);
        s.password().ifPresent(p -> c.setPassword(p.reveal()));
        c.setMaximumPoolSize(s.maxPoolSize());
        c.setMinimumIdle(1);
        c.setAutoCommit(true);
        if (dialect == SqlDialect.SQLITE) {
            c.addDataSourceProperty("journal_mode", "WAL");
            c.addDataSourceProperty("busy_timeout", "10000");
            c.addDataSourceProperty("synchronous", "NORMAL");
            c.addDataSourceProperty("foreign_keys", "true");
            c.addDataSourceProperty("cache_size", "-65536"); // 64 MiB page cache: index inserts stay in memory
        } else {
            s.schema().ifPresent(c::setSchema);
        }
        driverProperties(s).forEach(c::addDataSourceProperty);
        return c;
    }

    /**
     * Internal: not part of the API. The JDBC driver properties the store's pool sets beyond the url (so the
     * import bench's baselines connect exactly as the store does).
     */
    public static Map<String, String> driverProperties(DatabaseSettings s) {
        if (s.isSqlite()) {
            return Map.of();
        }
        // a page's INSERT batch goes to the server as multi-row INSERTs (128 rows a statement) instead of 1,000
        // statements: the server parses, plans and executes an eighth as often (nothing here reads batch counts)
        return Map.of("reWriteBatchedInserts", "true");
    }

    /**
     * The version of the newest migration under {@code db/migration} ({@code SchemaVersionTest} fails when a
     * migration is added without raising it).
     */
    static final String SCHEMA_VERSION = "19";

    private void migrate() {
        if (schemaIsCurrent()) {
            return;
        }
        var config = Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect == SqlDialect.SQLITE ? new String[] {"classpath:db/migration/foliosync"}
                        : new String[] {"classpath:db/migration/foliosync", "classpath:db/migration/foliosync-postgres"})
                .placeholders(dialect.placeholders())
                .table("flyway_schema_history");
        settings.schema().ifPresent(s -> config.schemas(s).createSchemas(true));
        var result = config.load().migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("migrated {} to schema version {} ({} migrations)", settings.redactedUrl(), result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    /**
     * @return whether the database's migration history ends, successfully, at {@link #SCHEMA_VERSION}: then there is
     *         nothing to migrate, and Flyway is not started. Starting it (scanning the class path for migrations,
     *         loading its classes, validating every applied migration) was most of the fixed cost of each CLI
     *         command on a current database (issue 22). Any other answer, a new database included, runs Flyway as
     *         before: it migrates, or says why it cannot.
     */
    private boolean schemaIsCurrent() {
        try (Connection c = dataSource.getConnection();
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT version, success FROM flyway_schema_history "
                     + "ORDER BY installed_rank DESC LIMIT 1")) {
            return rs.next() && SCHEMA_VERSION.equals(rs.getString(1)) && rs.getBoolean(2);
        } catch (SQLException e) {
            return false; // no history table yet: a new database
        }
    }

    // ---------------------------------------------------------------- jobs and locks

    @Override
    public long startJob(String sourceType, String sourceName, int attempt, Instant startedAt) {
        return jobs.startJob(sourceType, sourceName, attempt, startedAt);
    }

    @Override
    public void finishJob(long jobId, JobStatus status, Optional<String> error, Instant finishedAt,
                          Optional<Instant> cursor) {
        jobs.finishJob(jobId, status, error, finishedAt, cursor, Optional.empty());
    }

    @Override
    public void finishJob(long jobId, JobStatus status, Optional<String> error, Instant finishedAt,
                          Optional<Instant> cursor, Optional<TransactionsRead> read) {
        jobs.finishJob(jobId, status, error, finishedAt, cursor, read);
    }

    @Override
    public int interruptStaleJobs(Instant now) {
        return jobs.interruptStaleJobs(now);
    }

    @Override
    public List<JobRecord> jobs(Optional<String> sourceName, int limit) {
        return jobs.jobs(sourceName, limit);
    }

    @Override
    public Optional<SourceLock> tryLockSource(String sourceName) {
        return jobs.tryLockSource(sourceName);
    }

    // ---------------------------------------------------------------- data

    @Override
    public Optional<Instant> cursor(String sourceName) {
        return cursors.cursor(sourceName);
    }

    @Override
    public List<StoredAccount> accounts(Optional<String> sourceName) {
        return accountTable.accounts(sourceName);
    }

    @Override
    public long saveAccounts(long jobId, String sourceType, String sourceName, List<Account> accounts, Instant at) {
        return accountTable.saveAccounts(jobId, sourceType, sourceName, accounts, at);
    }

    @Override
    public long saveHoldings(long jobId, String sourceType, String sourceName, Optional<Set<String>> accounts,
                             List<Holding> holdings, Set<String> withoutPositions, Instant asOf) {
        return holdingTable.saveHoldings(jobId, sourceType, sourceName, accounts, holdings, withoutPositions, asOf);
    }

    @Override
    public ImportCounts saveTransactions(long jobId, TransactionBatch batch, Instant at) {
        return transactions.saveTransactions(jobId, batch, at);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<StoredTransaction> transactions(Optional<String> sourceName) {
        return transactions.transactions(sourceName);
    }

    @Override
    public TransactionPage transactions(TransactionPageQuery query) {
        return transactions.page(query);
    }

    @Override
    public long countTransactions(Optional<String> sourceName) {
        return transactions.countTransactions(sourceName);
    }

    @Override
    public List<String> holdingNamespaces() {
        return holdingTable.holdingNamespaces();
    }

    @Override
    public List<Holding> latestHoldings(String sourceName) {
        return holdingTable.latestHoldings(sourceName);
    }

    @Override
    public List<StoredTransaction> transactions(String sourceName, String accountId) {
        return transactions.transactions(Optional.of(sourceName), Optional.of(accountId));
    }

    @Override
    public AccountWrites writtenAfter(String sourceName, String accountId, long afterJobId) {
        return transactions.writtenAfter(sourceName, accountId, afterJobId);
    }

    @Override
    public Optional<ReconciliationCheckpoint> reconciliationCheckpoint(String sourceName, String accountId) {
        return checkpoints.read(sourceName, accountId);
    }

    @Override
    public void saveReconciliationCheckpoint(ReconciliationCheckpoint checkpoint) {
        checkpoints.save(checkpoint);
    }

    @Override
    public List<HoldingSnapshot> holdingSnapshots(String sourceName, String accountId) {
        return holdingTable.snapshots(sourceName, accountId);
    }

    @Override
    public void saveReconciliation(OptionalLong jobId, AccountReconciliation reconciliation) {
        reconciliations.save(jobId, reconciliation);
    }

    @Override
    public List<AccountReconciliation> reconciliations(Optional<String> sourceName) {
        return reconciliations.latest(sourceName);
    }

    @Override
    public Optional<String> syncedBy(String sourceName, String accountId) {
        return reconciliations.syncedBy(sourceName, accountId);
    }

    @Override
    public Optional<BigDecimal> dataQualityScore(String sourceName, String accountId) {
        return reconciliations.dataQualityScore(sourceName, accountId);
    }

    @Override
    public List<StoredTransaction> unlinkedTransfers() {
        return transactions.unlinkedTransfers();
    }

    @Override
    public List<TransferLink> saveTransferLinks(List<TransferLink> links) {
        return transferLinks.save(links);
    }

    @Override
    public List<TransferLink> transferLinks(Optional<String> sourceName) {
        return transferLinks.links(sourceName);
    }

    @Override
    public List<LinkedTransfer> transfers(Optional<String> sourceName) {
        List<TransferLink> links = transferLinks.links(sourceName);
        Map<List<String>, Map<String, StoredTransaction>> accounts = new HashMap<>();
        List<LinkedTransfer> out = new ArrayList<>();
        for (TransferLink l : links) {
            StoredTransaction w = side(accounts, l.outSourceName(), l.outAccountId(), l.outSourceId());
            StoredTransaction d = side(accounts, l.inSourceName(), l.inAccountId(), l.inSourceId());
            if (w != null && d != null) {
                out.add(new LinkedTransfer(l, w, d));
            } else {
                LOG.warn("transfer link {} -> {}: a side is no longer stored", l.outSourceId(), l.inSourceId());
            }
        }
        out.sort(java.util.Comparator.comparing((LinkedTransfer t) -> t.withdrawal().transaction().date())
                .thenComparing(t -> t.link().outSourceId()));
        return out;
    }

    private StoredTransaction side(Map<List<String>, Map<String, StoredTransaction>> accounts, String sourceName,
                                   String accountId, String recordId) {
        return accounts.computeIfAbsent(List.of(sourceName, accountId), k -> {
            Map<String, StoredTransaction> byId = new HashMap<>();
            transactions(sourceName, accountId).forEach(t -> byId.put(t.recordId(), t));
            return byId;
        }).get(recordId);
    }

    @Override
    public List<QuarantineEntry> quarantine(Optional<String> sourceName) {
        return quarantine.quarantine(sourceName);
    }

    @Override
    public List<QuarantineEntry> openQuarantine(Optional<String> source) {
        return quarantine.open(source);
    }

    @Override
    public List<QuarantineEntry> rejectedBy(long jobId) {
        return quarantine.rejectedBy(jobId);
    }

    @Override
    public List<StoredChange> changesAfter(String sourceName, String accountId, StoredChange.Position after,
                                           int limit) {
        return transactions.changesAfter(sourceName, accountId, after, limit);
    }

    @Override
    public Optional<HoldingSnapshot> latestHoldingSnapshot(String sourceName, String accountId) {
        return holdingTable.latestSnapshot(sourceName, accountId);
    }

    @Override
    public Optional<SinkCursor> sinkCursor(String sinkId, String sourceName, String accountId) {
        return sinks.cursor(sinkId, sourceName, accountId);
    }

    @Override
    public List<SinkCursor> sinkCursors() {
        return sinks.cursors();
    }

    @Override
    public void advanceSinkCursor(String sinkId, String sourceName, String accountId, StoredChange.Position to,
                                  long snapshotId, Instant at) {
        sinks.advance(sinkId, sourceName, accountId, to, snapshotId, at);
    }

    @Override
    public int resetSink(String sinkId) {
        return sinks.reset(sinkId);
    }

    @Override
    public void sinkFailed(String sinkId, String sourceName, String accountId, String error, Instant at) {
        sinks.failed(sinkId, sourceName, accountId, error, at);
    }

    @Override
    public SinkContext.RemoteIds sinkRemoteIds(String sinkId, String sourceName, String accountId, Clock clock) {
        return sinks.remoteIds(sinkId, sourceName, accountId, clock);
    }

    @Override
    public DatabaseCredentialStore credentials(SecretCipher cipher) {
        return new DatabaseCredentialStore(this, cipher);
    }

    /**
     * The rate limits shared by every process on this database: their buckets live in the
     * {@code rate_limit_buckets} table (migration V9), taken with {@code SELECT … FOR UPDATE} row locks, so
     * concurrent processes take turns on one bucket. bucket4j stays behind the registry: no caller names it.
     *
     * @throws io.foliosync.connectors.api.ConfigurationException on SQLite: one process owns a SQLite file, so
     *         there is nothing to share with
     */
    public RateLimiterRegistry sharedRateLimiters() {
        if (dialect == SqlDialect.SQLITE) {
            throw new io.foliosync.connectors.api.ConfigurationException("global.database",
                    "rate limits shared across processes need a PostgreSQL database, but " + location()
                            + " is SQLite: configure global.database with a PostgreSQL url");
        }
        return RateLimiterRegistry.distributed(Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .idColumn("id")
                .stateColumn("state")
                .build());
    }

    @Override
    public void close() {
        if (ownsPool) {
            dataSource.close();
        }
    }

    // ---------------------------------------------------------------- plumbing

    SqlDialect dialect() {
        return dialect;
    }

    TableStatistics statistics() {
        return statistics;
    }

    /** Replaces the pool's connections as they become idle (SQLite's reload their statistics only on reopening). */
    void refreshConnections() {
        var pool = dataSource.getHikariPoolMXBean();
        if (pool != null) {
            pool.softEvictConnections();
        }
    }

    /** Work on a connection inside one transaction. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; on SQLite under the store's single-writer lock. */
    <T> T write(SqlWork<T> work) {
        boolean sqlite = dialect == SqlDialect.SQLITE;
        if (sqlite) {
            writeLock.lock();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database write failed: " + e.getMessage(), e);
        } finally {
            if (sqlite) {
                writeLock.unlock();
            }
        }
    }

    <T> T read(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("database read failed: " + e.getMessage(), e);
        }
    }

    /** @return a connection of the pool, outside any transaction: the advisory locks live on one */
    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.getMessage());
        }
    }

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }

    static String truncate(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 4000) + "…";
    }
}
