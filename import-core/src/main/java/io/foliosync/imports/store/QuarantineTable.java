package io.foliosync.imports.store;

import io.foliosync.imports.query.QuarantineEntry;
import io.foliosync.imports.query.TransactionPageQuery;
import io.foliosync.imports.pipeline.Rejection;
import io.foliosync.imports.pipeline.Severity;
import io.foliosync.imports.pipeline.TransactionBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code quarantine}: the records a validation rule rejected, once per record and rule. A row stays open while
 * every sync of its source rejects the record again, and is resolved by the first sync that reads it again
 * without rejecting it (see {@link #resolve}); the source's cursor never moves past its earliest open row.
 */
final class QuarantineTable {
    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final String portfolio;

    // The hot statements (QueryPlanTest asserts their indexes).
    /** The open rows, of one source or namespace; parameters: portfolio[, source id, namespace]. */
    static String openSql(boolean bySource) {
        return "SELECT * FROM quarantine WHERE portfolio_id = ? AND resolved_at IS NULL"
                + (bySource ? " AND (source_id = ? OR source_name = ?)" : "") + " ORDER BY id";
    }

    /** The rows a job rejected; parameters: portfolio, job. */
    static final String REJECTED_BY = "SELECT * FROM quarantine WHERE portfolio_id = ? "
            + "AND last_job_id = ? AND resolved_at IS NULL ORDER BY id";

    /** Resolution at a job's end; parameters: at, job, portfolio, source id, job[, read from]. */
    static String resolveSql(boolean readFrom) {
        return "UPDATE quarantine SET resolved_at = ?, resolved_job_id = ? "
                + "WHERE portfolio_id = ? AND source_id = ? AND resolved_at IS NULL AND last_job_id <> ?"
                + (readFrom ? " AND record_date >= ?" : "");
    }

    /** Where a source's cursor must stop; parameters: portfolio, source id. */
    static final String EARLIEST_OPEN = "SELECT record_date FROM quarantine WHERE portfolio_id = ? "
            + "AND source_id = ? AND resolved_at IS NULL AND record_date IS NOT NULL ORDER BY record_date LIMIT 1";

    QuarantineTable(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
    }

    /** @return every row of the namespace (every namespace's when empty), resolved ones included, newest first */
    List<QuarantineEntry> quarantine(Optional<String> sourceName) {
        return select("source_name = ?", sourceName, " ORDER BY id DESC");
    }

    /**
     * @param source a source id ({@code ibkr-flex-1}) or a namespace ({@code ibkr}); every source when empty
     * @return the records still rejected, oldest first
     */
    List<QuarantineEntry> open(Optional<String> source) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(openSql(source.isPresent()))) {
                ps.setString(1, portfolio);
                if (source.isPresent()) {
                    ps.setString(2, source.get());
                    ps.setString(3, source.get());
                }
                return entries(ps);
            }
        });
    }

    /** @return the records job {@code jobId} rejected (first or again), in the order it read them */
    List<QuarantineEntry> rejectedBy(long jobId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(REJECTED_BY)) {
                ps.setString(1, portfolio);
                ps.setLong(2, jobId);
                return entries(ps);
            }
        });
    }

    private List<QuarantineEntry> select(String filter, Optional<String> value, String order) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM quarantine WHERE portfolio_id = ?"
                    + (value.isPresent() ? " AND " + filter : "") + order)) {
                ps.setString(1, portfolio);
                if (value.isPresent()) {
                    ps.setString(2, value.get());
                }
                return entries(ps);
            }
        });
    }

    private List<QuarantineEntry> entries(PreparedStatement ps) throws SQLException {
        List<QuarantineEntry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long firstJob = rs.getLong("job_id");
                Object lastJob = rs.getObject("last_job_id");
                out.add(new QuarantineEntry(rs.getLong("id"), firstJob, rs.getString("source_name"),
                        rs.getString("account_id"), rs.getString("source_record_id"), rs.getString("rule"),
                        Severity.valueOf(rs.getString("severity")), Optional.ofNullable(rs.getString("field")),
                        rs.getString("reason"), rs.getString("record"),
                        dialect.instant(rs, "created_at").orElseThrow(),
                        Optional.ofNullable(rs.getString("source_id")),
                        Optional.ofNullable(rs.getString("field_value")),
                        Optional.ofNullable(rs.getString("location")), dialect.instant(rs, "record_date"),
                        lastJob == null ? firstJob : ((Number) lastJob).longValue(),
                        dialect.instant(rs, "resolved_at")));
            }
        }
        return out;
    }

    /**
     * Writes in the page's transaction. A record the quarantine holds already for the same rule is not added twice:
     * its row is marked rejected again by this job (and reopened if a sync had resolved it), keeping when it was
     * first rejected.
     */
    void insert(Connection c, long jobId, TransactionBatch batch, Instant at) throws SQLException {
        if (batch.rejections().isEmpty()) {
            return;
        }
        String sourceId = jobSource(c, jobId);
        // one row per record and rule: PostgreSQL refuses an upsert that touches one row twice in a statement
        Map<List<String>, Rejection> unique = new LinkedHashMap<>();
        for (Rejection r : batch.rejections()) {
            unique.put(List.of(r.accountId(), r.recordId(), r.issue().rule().dbValue()), r);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO quarantine (job_id, source_type, "
                + "source_name, account_id, source_record_id, rule, severity, field, reason, record, created_at, "
                + "portfolio_id, source_id, field_value, location, record_date, last_job_id) VALUES (?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                + dialect.conflictTarget("source_name, account_id, source_record_id, rule") + " DO UPDATE SET "
                + "severity = excluded.severity, field = excluded.field, reason = excluded.reason, "
                + "record = excluded.record, source_id = excluded.source_id, field_value = excluded.field_value, "
                + "location = excluded.location, record_date = excluded.record_date, "
                + "last_job_id = excluded.last_job_id, resolved_at = NULL, resolved_job_id = NULL")) {
            for (Rejection r : unique.values()) {
                ps.setLong(1, jobId);
                ps.setString(2, batch.sourceType());
                ps.setString(3, batch.sourceName());
                ps.setString(4, r.accountId());
                ps.setString(5, r.recordId());
                ps.setString(6, r.issue().rule().dbValue());
                ps.setString(7, r.issue().severity().name());
                ps.setString(8, r.issue().field().orElse(null));
                ps.setString(9, JdbcPortfolioStore.truncate(r.issue().message()));
                ps.setString(10, r.record());
                dialect.setInstant(ps, 11, at);
                ps.setString(12, portfolio);
                if (sourceId == null) {
                    ps.setNull(13, Types.VARCHAR);
                } else {
                    ps.setString(13, sourceId);
                }
                ps.setString(14, r.value().map(JdbcPortfolioStore::truncate).orElse(null));
                ps.setString(15, truncate(r.location(), 512));
                // PostgreSQL keeps microseconds and rounds the rest: truncated, the cursor held at it is never after
                // the record
                dialect.setInstant(ps, 16, r.recordDate().truncatedTo(ChronoUnit.MICROS));
                ps.setLong(17, jobId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Resolves, in the transaction that ends a succeeded job, the open rows of its source that the job read again
     * and did not reject: their record was imported (a rule or the connector was fixed) or the source no longer
     * sends it. What the job read is everything from {@code readFrom} on ({@code TransactionPageQuery}'s since is
     * inclusive), or the whole history when empty; a row older than that was not read and stays open, as does a
     * row without a record time unless the whole history was read.
     *
     * @return how many were resolved
     */
    int resolve(Connection c, String sourceId, long jobId, Optional<Instant> readFrom, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(resolveSql(readFrom.isPresent()))) {
            dialect.setInstant(ps, 1, at);
            ps.setLong(2, jobId);
            ps.setString(3, portfolio);
            ps.setString(4, sourceId);
            ps.setLong(5, jobId);
            if (readFrom.isPresent()) {
                dialect.setInstant(ps, 6, readFrom.get());
            }
            return ps.executeUpdate();
        }
    }

    /** @return the time of the source's earliest record still in quarantine, where its cursor must stop */
    Optional<Instant> earliestOpen(Connection c, String sourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EARLIEST_OPEN)) {
            ps.setString(1, portfolio);
            ps.setString(2, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? dialect.instant(rs, "record_date") : Optional.empty();
            }
        }
    }

    private static String jobSource(Connection c, long jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT source_name FROM import_jobs WHERE id = ?")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
