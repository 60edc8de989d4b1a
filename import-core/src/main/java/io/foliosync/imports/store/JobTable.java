package io.foliosync.imports.store;

import io.foliosync.imports.query.JobRecord;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.JobStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code import_jobs}, and the claim on a source that keeps two syncs of it apart: a job row says a sync ran, the
 * lock says one runs now, and {@link #interruptStaleJobs} needs both to tell a dead process's job from a live one.
 */
final class JobTable {
    private static final Logger LOG = LoggerFactory.getLogger(JobTable.class);
    // 'FOLS': the first key of every FolioSync advisory lock; the second is hashtext(schema:source), since
    // advisory locks span the whole database and two installations may share one in different schemas.
    private static final int ADVISORY_CLASS = 0x464F4C53;
    private static final String LOCK_KEY = "hashtext(current_schema() || ':' || ?)";
    private static final char PORTFOLIO_SEPARATOR = '\u001f';

    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final CursorTable cursors;
    private final QuarantineTable quarantine;
    private final String portfolio;
    private final Set<String> lockedSources = ConcurrentHashMap.newKeySet();
    private final SourceFileLocks sqliteLocks;

    JobTable(JdbcPortfolioStore db, CursorTable cursors, QuarantineTable quarantine) {
        this.db = db;
        this.quarantine = quarantine;
        this.dialect = db.dialect();
        this.cursors = cursors;
        this.portfolio = db.portfolio();
        this.sqliteLocks = new SourceFileLocks(db.settings().sqliteFile().filter(SourceFileLocks::isFile));
    }

    long startJob(String sourceType, String sourceName, int attempt, Instant startedAt) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_jobs (source_type, source_name, "
                    + "status, attempt, started_at, portfolio_id) VALUES (?, ?, 'running', ?, ?, ?) RETURNING id")) {
                ps.setString(1, sourceType);
                ps.setString(2, sourceName);
                ps.setInt(3, attempt);
                dialect.setInstant(ps, 4, startedAt);
                ps.setString(5, portfolio);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    void finishJob(long jobId, JobStatus status, Optional<String> error, Instant finishedAt,
                   Optional<Instant> cursor, Optional<TransactionsRead> read) {
        if (status == JobStatus.RUNNING || status == JobStatus.SKIPPED) {
            throw new IllegalArgumentException("a job ends succeeded, failed or interrupted, not " + status);
        }
        db.write(c -> {
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
            if (status != JobStatus.SUCCEEDED) {
                return null;
            }
            if (read.isPresent()) {
                int resolved = quarantine.resolve(c, sourceName, jobId, read.get().since(), finishedAt);
                if (resolved > 0) {
                    LOG.info("import job {} of {} read {} quarantined record(s) again without rejecting them: resolved",
                            jobId, sourceName, resolved);
                }
            }
            // never past a record still in quarantine: the next sync reads it again, so a fixed rule imports it
            Optional<Instant> held = quarantine.earliestOpen(c, sourceName);
            Optional<Instant> next = cursor.map(cur -> held.filter(h -> h.isBefore(cur)).orElse(cur));
            if (next.isPresent()) {
                cursors.advance(c, sourceName, next.get(), jobId, finishedAt);
            }
            return null;
        });
    }

    int interruptStaleJobs(Instant now) {
        Map<Long, String> running = new LinkedHashMap<>();
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, source_name FROM import_jobs WHERE status = 'running' AND portfolio_id = ?")) {
                ps.setString(1, portfolio);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        running.put(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            return null;
        });
        int marked = 0;
        for (Map.Entry<Long, String> job : running.entrySet()) {
            Optional<PortfolioStore.SourceLock> lock = tryLockSource(job.getValue());
            if (lock.isEmpty()) {
                continue; // syncing right now, here or in another process
            }
            try (PortfolioStore.SourceLock ignored = lock.get()) {
                int n = db.write(c -> {
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

    List<JobRecord> jobs(Optional<String> sourceName, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM import_jobs WHERE portfolio_id = ?"
                    + (sourceName.isPresent() ? " AND source_name = ?" : "") + " ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, portfolio);
                int i = 2;
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

    Optional<PortfolioStore.SourceLock> tryLockSource(String sourceName) {
        if (!lockedSources.add(sourceName)) {
            return Optional.empty();
        }
        if (dialect == SqlDialect.SQLITE) {
            Optional<PortfolioStore.SourceLock> lock = sqliteLocks.tryLock(sourceName, () -> lockedSources.remove(sourceName));
            if (lock.isEmpty()) {
                lockedSources.remove(sourceName);
            }
            return lock;
        }
        Connection c = null;
        try {
            c = db.connection();
            boolean got;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, " + LOCK_KEY + ")")) {
                ps.setInt(1, ADVISORY_CLASS);
                ps.setString(2, lockName(sourceName));
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
                try (held; PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock(?, " + LOCK_KEY + ")")) {
                    ps.setInt(1, ADVISORY_CLASS);
                    ps.setString(2, lockName(sourceName));
                    ps.execute();
                } catch (SQLException e) {
                    LOG.warn("cannot release the advisory lock of {}: {}", sourceName, e.getMessage());
                } finally {
                    lockedSources.remove(sourceName);
                }
            });
        } catch (SQLException e) {
            lockedSources.remove(sourceName);
            JdbcPortfolioStore.closeQuietly(c);
            throw new StoreException("cannot take the advisory lock of " + sourceName + ": " + e.getMessage(), e);
        }
    }

    /** The default portfolio keeps the key of the versions before portfolios, so a running older process still excludes. */
    private String lockName(String sourceName) {
        return portfolio.equals(JdbcPortfolioStore.DEFAULT_PORTFOLIO) ? sourceName
                : portfolio + PORTFOLIO_SEPARATOR + sourceName;
    }

    /** Adds a stored page's counts to its job, in the page's transaction. */
    static void countPage(Connection c, long jobId, ImportCounts counts) throws SQLException {
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
    }
}
