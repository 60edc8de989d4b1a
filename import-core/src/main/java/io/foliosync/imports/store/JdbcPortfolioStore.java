package io.foliosync.imports.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.JobStatus;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.pipeline.Hashing;
import io.foliosync.imports.pipeline.KeyedTransaction;
import io.foliosync.imports.pipeline.Rejection;
import io.foliosync.imports.pipeline.Severity;
import io.foliosync.imports.pipeline.TransactionBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC {@link PortfolioStore} for SQLite (embedded default, {@code data/foliosync.db}) and PostgreSQL.
 * Opening migrates the schema with Flyway (one history, {@code db/migration/foliosync}).
 *
 * <p>SQLite runs in WAL mode with a busy timeout, and all writes of this store go through one lock: one
 * writer, any number of readers. PostgreSQL writes run concurrently; a source being synced is additionally
 * claimed with a session advisory lock, so two processes never sync the same source at once.
 */
public final class JdbcPortfolioStore implements PortfolioStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPortfolioStore.class);
    private static final String TX_STREAM = "transactions";
    private static final int LOOKUP_CHUNK = 1000; // a page of 1,000 is one query (both databases allow 32,766 parameters)
    // 'FOLS': the first key of every FolioSync advisory lock; the second is hashtext(source).
    private static final int ADVISORY_CLASS = 0x464F4C53;

    private final DatabaseSettings settings;
    private final SqlDialect dialect;
    private final HikariDataSource dataSource;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Set<String> lockedSources = ConcurrentHashMap.newKeySet();
    private final SourceFileLocks sqliteLocks;

    private JdbcPortfolioStore(DatabaseSettings settings) {
        this.settings = settings;
        this.dialect = SqlDialect.of(settings.jdbcUrl());
        this.sqliteLocks = new SourceFileLocks(settings.sqliteFile().filter(SourceFileLocks::isFile));
        this.dataSource = new HikariDataSource(poolConfig(settings, dialect));
    }

    /**
     * Opens (creating the SQLite file's directory when needed) and migrates the database.
     *
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static JdbcPortfolioStore open(DatabaseSettings settings) {
        Objects.requireNonNull(settings, "settings");
        settings.sqliteFile().map(Path::toAbsolutePath).map(Path::getParent).ifPresent(dir -> {
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new StoreException("cannot create the database directory " + dir, e);
            }
        });
        JdbcPortfolioStore store;
        try {
            store = new JdbcPortfolioStore(settings);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + settings.redactedUrl() + ": " + e.getMessage(), e);
        }
        try {
            store.migrate();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e instanceof StoreException se ? se
                    : new StoreException("cannot migrate " + settings.redactedUrl() + ": " + e.getMessage(), e);
        }
    }

    public DatabaseSettings settings() {
        return settings;
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
        return c;
    }

    private void migrate() {
        var config = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/foliosync")
                .placeholders(dialect.placeholders())
                .table("flyway_schema_history");
        settings.schema().ifPresent(s -> config.schemas(s).createSchemas(true));
        var result = config.load().migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("migrated {} to schema version {} ({} migrations)", settings.redactedUrl(), result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    // ---------------------------------------------------------------- jobs

    @Override
    public long startJob(String sourceType, String sourceName, int attempt, Instant startedAt) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_jobs (source_type, source_name, "
                    + "status, attempt, started_at) VALUES (?, ?, 'running', ?, ?) RETURNING id")) {
                ps.setString(1, sourceType);
                ps.setString(2, sourceName);
                ps.setInt(3, attempt);
                dialect.setInstant(ps, 4, startedAt);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public void finishJob(long jobId, JobStatus status, Optional<String> error, Instant finishedAt,
                          Optional<Instant> cursor) {
        if (status == JobStatus.RUNNING || status == JobStatus.SKIPPED) {
            throw new IllegalArgumentException("a job ends succeeded, failed or interrupted, not " + status);
        }
        write(c -> {
            String sourceName;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE import_jobs SET status = ?, completed_at = ?, error_message = ? WHERE id = ? "
                            + "RETURNING source_name")) {
                ps.setString(1, status.dbValue());
                dialect.setInstant(ps, 2, finishedAt);
                ps.setString(3, error.map(JdbcPortfolioStore::truncate).orElse(null));
                ps.setLong(4, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException("no import job " + jobId, null);
                    }
                    sourceName = rs.getString(1);
                }
            }
            if (status == JobStatus.SUCCEEDED && cursor.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_cursors (source_name, stream, "
                        + "cursor_value, job_id, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (source_name, stream) "
                        + "DO UPDATE SET cursor_value = excluded.cursor_value, job_id = excluded.job_id, "
                        + "updated_at = excluded.updated_at")) {
                    ps.setString(1, sourceName);
                    ps.setString(2, TX_STREAM);
                    ps.setString(3, cursor.get().toString());
                    ps.setLong(4, jobId);
                    dialect.setInstant(ps, 5, finishedAt);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public int interruptStaleJobs(Instant now) {
        Map<Long, String> running = new LinkedHashMap<>();
        read(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, source_name FROM import_jobs WHERE status = 'running'")) {
                while (rs.next()) {
                    running.put(rs.getLong(1), rs.getString(2));
                }
            }
            return null;
        });
        int marked = 0;
        for (Map.Entry<Long, String> job : running.entrySet()) {
            Optional<SourceLock> lock = tryLockSource(job.getValue());
            if (lock.isEmpty()) {
                continue; // syncing right now, here or in another process
            }
            try (SourceLock ignored = lock.get()) {
                int n = write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE import_jobs SET status = 'interrupted', "
                            + "completed_at = ?, error_message = ? WHERE id = ? AND status = 'running'")) {
                        dialect.setInstant(ps, 1, now);
                        ps.setString(2, "the process ended while this job ran; found at the next start");
                        ps.setLong(3, job.getKey());
                        return ps.executeUpdate();
                    }
                });
                if (n > 0) {
                    LOG.warn("import job {} of {} was left running by a process that ended: marked interrupted",
                            job.getKey(), job.getValue());
                }
                marked += n;
            }
        }
        return marked;
    }

    @Override
    public List<JobRecord> jobs(Optional<String> sourceName, int limit) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM import_jobs"
                    + (sourceName.isPresent() ? " WHERE source_name = ?" : "") + " ORDER BY id DESC LIMIT ?")) {
                int i = 1;
                if (sourceName.isPresent()) {
                    ps.setString(i++, sourceName.get());
                }
                ps.setInt(i, limit);
                List<JobRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new JobRecord(rs.getLong("id"), rs.getString("source_type"),
                                rs.getString("source_name"), JobStatus.fromDb(rs.getString("status")),
                                rs.getInt("attempt"), dialect.instant(rs, "started_at").orElseThrow(),
                                dialect.instant(rs, "completed_at"), rs.getInt("pages_fetched"),
                                new ImportCounts(rs.getLong("records_imported"), rs.getLong("records_updated"),
                                        rs.getLong("records_skipped"), rs.getLong("records_failed")),
                                Optional.ofNullable(rs.getString("error_message"))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<SourceLock> tryLockSource(String sourceName) {
        if (!lockedSources.add(sourceName)) {
            return Optional.empty();
        }
        if (dialect == SqlDialect.SQLITE) {
            Optional<SourceLock> lock = sqliteLocks.tryLock(sourceName, () -> lockedSources.remove(sourceName));
            if (lock.isEmpty()) {
                lockedSources.remove(sourceName);
            }
            return lock;
        }
        Connection c = null;
        try {
            c = dataSource.getConnection();
            boolean got;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                ps.setInt(1, ADVISORY_CLASS);
                ps.setString(2, sourceName);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    got = rs.getBoolean(1);
                }
            }
            if (!got) {
                c.close();
                lockedSources.remove(sourceName);
                return Optional.empty();
            }
            Connection held = c;
            return Optional.of(() -> {
                try (held; PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                    ps.setInt(1, ADVISORY_CLASS);
                    ps.setString(2, sourceName);
                    ps.execute();
                } catch (SQLException e) {
                    LOG.warn("cannot release the advisory lock of {}: {}", sourceName, e.getMessage());
                } finally {
                    lockedSources.remove(sourceName);
                }
            });
        } catch (SQLException e) {
            lockedSources.remove(sourceName);
            closeQuietly(c);
            throw new StoreException("cannot take the advisory lock of " + sourceName + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- data

    @Override
    public Optional<Instant> cursor(String sourceName) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT cursor_value FROM sync_cursors WHERE source_name = ? AND stream = ?")) {
                ps.setString(1, sourceName);
                ps.setString(2, TX_STREAM);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Instant.parse(rs.getString(1))) : Optional.<Instant>empty();
                }
            }
        });
    }

    @Override
    public long saveAccounts(long jobId, String sourceType, String sourceName, List<Account> accounts, Instant at) {
        if (accounts.isEmpty()) {
            return 0;
        }
        return write(c -> {
            long changed = 0;
            for (Account a : accounts) {
                String hash = Hashing.sha256(a.accountId() + '\u001f' + a.name() + '\u001f' + a.type() + '\u001f'
                        + a.baseCurrency() + '\u001f' + a.status() + '\u001f'
                        + a.balance().map(b -> b.stripTrailingZeros().toPlainString()).orElse(""));
                Long ref = null;
                String oldHash = null;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, content_hash FROM accounts WHERE source_name = ? AND account_id = ?")) {
                    ps.setString(1, sourceName);
                    ps.setString(2, a.accountId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            ref = rs.getLong(1);
                            oldHash = rs.getString(2);
                        }
                    }
                }
                if (ref == null) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (source_type, source_name, "
                            + "account_id, name, account_type, base_currency, status, balance, content_hash, created_at, "
                            + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                        bindAccount(ps, sourceType, sourceName, a, hash, at);
                        dialect.setInstant(ps, 11, at);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            ref = rs.getLong(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO data_source_links (account_ref, "
                            + "source_type, source_name, external_account_id, last_synced_at, last_job_id, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setLong(1, ref);
                        ps.setString(2, sourceType);
                        ps.setString(3, sourceName);
                        ps.setString(4, a.accountId());
                        dialect.setInstant(ps, 5, at);
                        ps.setLong(6, jobId);
                        dialect.setInstant(ps, 7, at);
                        ps.executeUpdate();
                    }
                    changed++;
                } else {
                    if (!hash.equals(oldHash)) {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET source_type = ?, "
                                + "source_name = ?, account_id = ?, name = ?, account_type = ?, base_currency = ?, "
                                + "status = ?, balance = ?, content_hash = ?, updated_at = ? WHERE id = ?")) {
                            bindAccount(ps, sourceType, sourceName, a, hash, at);
                            ps.setLong(11, ref);
                            ps.executeUpdate();
                        }
                        changed++;
                    }
                    try (PreparedStatement ps = c.prepareStatement("UPDATE data_source_links SET last_synced_at = ?, "
                            + "last_job_id = ? WHERE account_ref = ?")) {
                        dialect.setInstant(ps, 1, at);
                        ps.setLong(2, jobId);
                        ps.setLong(3, ref);
                        ps.executeUpdate();
                    }
                }
            }
            return changed;
        });
    }

    private void bindAccount(PreparedStatement ps, String sourceType, String sourceName, Account a, String hash,
                             Instant at) throws SQLException {
        ps.setString(1, sourceType);
        ps.setString(2, sourceName);
        ps.setString(3, a.accountId());
        ps.setString(4, a.name());
        ps.setString(5, a.type().name());
        ps.setString(6, a.baseCurrency());
        ps.setString(7, a.status().name());
        dialect.setDecimal(ps, 8, a.balance());
        ps.setString(9, hash);
        dialect.setInstant(ps, 10, at);
    }

    @Override
    public long saveHoldings(long jobId, String sourceType, String sourceName, Optional<Set<String>> accounts,
                             List<Holding> holdings, Instant asOf) {
        Map<String, List<Holding>> byAccount = new LinkedHashMap<>();
        holdings.forEach(h -> byAccount.computeIfAbsent(h.accountId(), k -> new ArrayList<>()).add(h));
        return write(c -> {
            // the latest snapshot of every account of the source: an account holding positions that is absent
            // from this sync's holdings is empty now
            Map<String, LatestSnapshot> latest = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.account_id, s.snapshot_hash, s.positions "
                    + "FROM holding_snapshots s WHERE s.source_name = ? AND s.id = (SELECT MAX(x.id) FROM "
                    + "holding_snapshots x WHERE x.source_name = s.source_name AND x.account_id = s.account_id)")) {
                ps.setString(1, sourceName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        latest.put(rs.getString(1), new LatestSnapshot(rs.getString(2), rs.getInt(3)));
                    }
                }
            }
            latest.forEach((account, snapshot) -> {
                // another source of the same namespace owns accounts outside the scope: never empty those
                if (snapshot.positions() > 0 && accounts.map(a -> a.contains(account)).orElse(true)) {
                    byAccount.putIfAbsent(account, List.of());
                }
            });
            long written = 0;
            for (Map.Entry<String, List<Holding>> e : byAccount.entrySet()) {
                List<String> rowHashes = e.getValue().stream().map(Hashing::contentHash).sorted().toList();
                String snapshot = Hashing.sha256(String.join(",", rowHashes));
                LatestSnapshot previous = latest.get(e.getKey());
                if (previous != null ? snapshot.equals(previous.hash()) : e.getValue().isEmpty()) {
                    continue; // unchanged, or empty for an account never seen with holdings
                }
                long snapshotId;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO holding_snapshots (job_id, source_type, "
                        + "source_name, account_id, as_of, positions, snapshot_hash) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        + "RETURNING id")) {
                    ps.setLong(1, jobId);
                    ps.setString(2, sourceType);
                    ps.setString(3, sourceName);
                    ps.setString(4, e.getKey());
                    dialect.setInstant(ps, 5, asOf);
                    ps.setInt(6, e.getValue().size());
                    ps.setString(7, snapshot);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        snapshotId = rs.getLong(1);
                    }
                }
                if (e.getValue().isEmpty()) {
                    continue;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO holdings (job_id, source_type, "
                        + "source_name, account_id, as_of, symbol, name, quantity, current_price, market_value, "
                        + "cost_basis, currency, asset_class, external_id, attributes, snapshot_hash, snapshot_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Holding h : e.getValue()) {
                        ps.setLong(1, jobId);
                        ps.setString(2, sourceType);
                        ps.setString(3, sourceName);
                        ps.setString(4, h.accountId());
                        dialect.setInstant(ps, 5, asOf);
                        ps.setString(6, h.symbol());
                        ps.setString(7, h.name().orElse(null));
                        dialect.setDecimal(ps, 8, h.quantity());
                        dialect.setDecimal(ps, 9, h.currentPrice());
                        dialect.setDecimal(ps, 10, h.marketValue());
                        dialect.setDecimal(ps, 11, h.costBasis());
                        ps.setString(12, h.currency());
                        ps.setString(13, h.assetClass().name());
                        ps.setString(14, h.externalId().orElse(null));
                        ps.setString(15, AttributesJson.write(h.attributes()));
                        ps.setString(16, snapshot);
                        ps.setLong(17, snapshotId);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                written += e.getValue().size();
            }
            return written;
        });
    }

    private record LatestSnapshot(String hash, int positions) {
    }

    @Override
    public ImportCounts saveTransactions(long jobId, TransactionBatch batch, Instant at, Set<Long> earlierAttempts) {
        return write(c -> {
            Map<String, Stored> existing = existing(c, batch);
            List<KeyedTransaction> inserts = new ArrayList<>();
            List<KeyedTransaction> updates = new ArrayList<>();
            long skipped = 0;
            long updatedCounted = 0;
            for (KeyedTransaction k : batch.records()) {
                Stored old = existing.get(identityKey(k.recordId(), k.transaction().accountId()));
                // a record an earlier attempt of this job wrote is already counted (imported or updated)
                boolean counted = old != null && earlierAttempts.contains(old.jobId());
                if (old == null) {
                    inserts.add(k);
                } else if (!old.contentHash().equals(k.contentHash())) {
                    updates.add(k);
                    if (!counted) {
                        updatedCounted++;
                    }
                } else if (!counted) {
                    skipped++;
                }
            }
            if (!inserts.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(INSERT_TX)) {
                    for (KeyedTransaction k : inserts) {
                        bindTransaction(ps, batch, k, jobId, at, false);
                        dialect.setInstant(ps, 22, at);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!updates.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(UPDATE_TX)) {
                    for (KeyedTransaction k : updates) {
                        bindTransaction(ps, batch, k, jobId, at, true);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!batch.rejections().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO quarantine (job_id, source_type, "
                        + "source_name, account_id, source_record_id, rule, severity, field, reason, record, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (source_name, account_id, source_record_id, rule) DO NOTHING")) {
                    for (Rejection r : batch.rejections()) {
                        ps.setLong(1, jobId);
                        ps.setString(2, batch.sourceType());
                        ps.setString(3, batch.sourceName());
                        ps.setString(4, r.accountId());
                        ps.setString(5, r.recordId());
                        ps.setString(6, r.issue().rule().dbValue());
                        ps.setString(7, r.issue().severity().name());
                        ps.setString(8, r.issue().field().orElse(null));
                        ps.setString(9, truncate(r.issue().message()));
                        ps.setString(10, r.record());
                        dialect.setInstant(ps, 11, at);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            ImportCounts counts = new ImportCounts(inserts.size(), updatedCounted, skipped,
                    batch.rejections().stream().map(r -> identityKey(r.recordId(), r.accountId())).distinct().count());
            try (PreparedStatement ps = c.prepareStatement("UPDATE import_jobs SET pages_fetched = pages_fetched + 1, "
                    + "records_imported = records_imported + ?, records_updated = records_updated + ?, "
                    + "records_skipped = records_skipped + ?, records_failed = records_failed + ? WHERE id = ?")) {
                ps.setLong(1, counts.imported());
                ps.setLong(2, counts.updated());
                ps.setLong(3, counts.skipped());
                ps.setLong(4, counts.rejected());
                ps.setLong(5, jobId);
                ps.executeUpdate();
            }
            return counts;
        });
    }

    private static final String TX_COLUMNS = "source_type, source_name, source_id, account_id, date, trade_date, "
            + "symbol, name, transaction_type, quantity, price, amount, currency, fees, fee_currency, description, "
            + "raw_type, attributes, content_hash, job_id, updated_at";
    static final String INSERT_TX = "INSERT INTO transactions (" + TX_COLUMNS + ", imported_at) VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_TX = "UPDATE transactions SET source_type = ?, source_name = ?, source_id = ?, "
            + "account_id = ?, date = ?, trade_date = ?, symbol = ?, name = ?, transaction_type = ?, quantity = ?, "
            + "price = ?, amount = ?, currency = ?, fees = ?, fee_currency = ?, description = ?, raw_type = ?, "
            + "attributes = ?, content_hash = ?, job_id = ?, updated_at = ? "
            + "WHERE source_type = ? AND source_name = ? AND source_id = ? AND account_id = ?";

    private void bindTransaction(PreparedStatement ps, TransactionBatch batch, KeyedTransaction k, long jobId,
                                 Instant at, boolean update) throws SQLException {
        Transaction t = k.transaction();
        ps.setString(1, batch.sourceType());
        ps.setString(2, batch.sourceName());
        ps.setString(3, k.recordId());
        ps.setString(4, t.accountId());
        dialect.setInstant(ps, 5, t.date());
        dialect.setDate(ps, 6, t.tradeDate());
        ps.setString(7, t.symbol().orElse(null));
        ps.setString(8, t.name().orElse(null));
        ps.setString(9, t.type().name());
        dialect.setDecimal(ps, 10, t.quantity());
        dialect.setDecimal(ps, 11, t.price());
        dialect.setDecimal(ps, 12, t.amount());
        ps.setString(13, t.currency());
        dialect.setDecimal(ps, 14, t.fees());
        ps.setString(15, t.feeCurrency().orElse(null));
        ps.setString(16, t.description().orElse(null));
        ps.setString(17, t.rawType().orElse(null));
        ps.setString(18, AttributesJson.write(t.attributes()));
        ps.setString(19, k.contentHash());
        ps.setLong(20, jobId);
        dialect.setInstant(ps, 21, at);
        if (update) {
            // the identity of the row to change
            ps.setString(22, batch.sourceType());
            ps.setString(23, batch.sourceName());
            ps.setString(24, k.recordId());
            ps.setString(25, t.accountId());
        }
    }

    /** A stored record's change-detection hash and the job that last wrote it. */
    private record Stored(String contentHash, long jobId) {
    }

    /** @return the stored records of the batch's identities, by {@link #identityKey}; one query per page */
    private Map<String, Stored> existing(Connection c, TransactionBatch batch) throws SQLException {
        Map<String, Stored> out = new HashMap<>();
        List<String> ids = batch.records().stream().map(KeyedTransaction::recordId).distinct().toList();
        for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK));
            String sql = "SELECT source_id, account_id, content_hash, job_id FROM transactions WHERE source_type = ? "
                    + "AND source_name = ? AND source_id IN (" + "?,".repeat(chunk.size() - 1) + "?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, batch.sourceType());
                ps.setString(2, batch.sourceName());
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(3 + i, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(identityKey(rs.getString(1), rs.getString(2)), new Stored(rs.getString(3),
                                rs.getLong(4)));
                    }
                }
            }
        }
        return out;
    }

    private static String identityKey(String recordId, String accountId) {
        return recordId + '\u001f' + accountId;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<StoredTransaction> transactions(Optional<String> sourceName) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM transactions"
                    + (sourceName.isPresent() ? " WHERE source_name = ?" : "")
                    + " ORDER BY date, source_name, source_id, account_id")) {
                if (sourceName.isPresent()) {
                    ps.setString(1, sourceName.get());
                }
                List<StoredTransaction> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Transaction.Builder b = Transaction.builder()
                                .date(dialect.instant(rs, "date").orElseThrow())
                                .tradeDate(dialect.date(rs, "trade_date"))
                                .symbol(rs.getString("symbol"))
                                .name(rs.getString("name"))
                                .type(TransactionType.valueOf(rs.getString("transaction_type")))
                                .quantity(dialect.decimal(rs, "quantity").orElseThrow())
                                .price(dialect.decimal(rs, "price").orElse(null))
                                .amount(dialect.decimal(rs, "amount").orElseThrow())
                                .currency(rs.getString("currency"))
                                .fees(dialect.decimal(rs, "fees").orElseThrow())
                                .feeCurrency(rs.getString("fee_currency"))
                                .accountId(rs.getString("account_id"))
                                .description(rs.getString("description"))
                                .source(rs.getString("source_name"))
                                .rawType(rs.getString("raw_type"));
                        String recordId = rs.getString("source_id");
                        if (!recordId.startsWith("h:")) {
                            b.sourceId(recordId);
                        }
                        AttributesJson.read(rs.getString("attributes")).forEach(b::attribute);
                        out.add(new StoredTransaction(rs.getString("source_type"), rs.getString("source_name"),
                                recordId, rs.getString("content_hash"), b.build()));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public long countTransactions(Optional<String> sourceName) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM transactions"
                    + (sourceName.isPresent() ? " WHERE source_name = ?" : ""))) {
                if (sourceName.isPresent()) {
                    ps.setString(1, sourceName.get());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public List<String> holdingNamespaces() {
        return read(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT DISTINCT source_name FROM holding_snapshots ORDER BY source_name")) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public List<Holding> latestHoldings(String sourceName) {
        return read(c -> {
            // the rows of each account's latest snapshot; an account whose latest snapshot is empty has none
            try (PreparedStatement ps = c.prepareStatement("SELECT h.* FROM holdings h JOIN holding_snapshots s ON "
                    + "s.id = h.snapshot_id WHERE s.source_name = ? AND s.id = (SELECT MAX(x.id) FROM holding_snapshots "
                    + "x WHERE x.source_name = s.source_name AND x.account_id = s.account_id) "
                    + "ORDER BY h.account_id, h.symbol, h.id")) {
                ps.setString(1, sourceName);
                List<Holding> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Holding.Builder b = Holding.builder()
                                .symbol(rs.getString("symbol"))
                                .name(rs.getString("name"))
                                .quantity(dialect.decimal(rs, "quantity").orElseThrow())
                                .currentPrice(dialect.decimal(rs, "current_price").orElse(null))
                                .marketValue(dialect.decimal(rs, "market_value").orElse(null))
                                .costBasis(dialect.decimal(rs, "cost_basis").orElse(null))
                                .currency(rs.getString("currency"))
                                .accountId(rs.getString("account_id"))
                                .assetClass(AssetClass.valueOf(rs.getString("asset_class")))
                                .source(rs.getString("source_name"))
                                .externalId(rs.getString("external_id"));
                        AttributesJson.read(rs.getString("attributes")).forEach(b::attribute);
                        out.add(b.build());
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<QuarantineEntry> quarantine(Optional<String> sourceName) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM quarantine"
                    + (sourceName.isPresent() ? " WHERE source_name = ?" : "") + " ORDER BY id DESC")) {
                if (sourceName.isPresent()) {
                    ps.setString(1, sourceName.get());
                }
                List<QuarantineEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new QuarantineEntry(rs.getLong("id"), rs.getLong("job_id"), rs.getString("source_name"),
                                rs.getString("account_id"), rs.getString("source_record_id"), rs.getString("rule"),
                                Severity.valueOf(rs.getString("severity")), Optional.ofNullable(rs.getString("field")),
                                rs.getString("reason"), rs.getString("record"),
                                dialect.instant(rs, "created_at").orElseThrow()));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public DatabaseCredentialStore credentials(SecretCipher cipher) {
        return new DatabaseCredentialStore(this, cipher);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    // ---------------------------------------------------------------- plumbing

    SqlDialect dialect() {
        return dialect;
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

    /** @return a connection of the pool, for the benchmark's raw baseline */
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

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }

    private static String truncate(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 4000) + "…";
    }
}
