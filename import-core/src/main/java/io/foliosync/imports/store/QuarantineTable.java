package io.foliosync.imports.store;

import io.foliosync.imports.pipeline.Rejection;
import io.foliosync.imports.pipeline.Severity;
import io.foliosync.imports.pipeline.TransactionBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code quarantine}: the records a validation rule rejected, once per record and rule. */
final class QuarantineTable {
    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final String portfolio;

    QuarantineTable(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
    }

    List<QuarantineEntry> quarantine(Optional<String> sourceName) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM quarantine WHERE portfolio_id = ?"
                    + (sourceName.isPresent() ? " AND source_name = ?" : "") + " ORDER BY id DESC")) {
                ps.setString(1, portfolio);
                if (sourceName.isPresent()) {
                    ps.setString(2, sourceName.get());
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

    /** Writes in the page's transaction: a rejection the quarantine holds already is not added twice. */
    void insert(Connection c, long jobId, TransactionBatch batch, Instant at) throws SQLException {
        if (batch.rejections().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO quarantine (job_id, source_type, "
                + "source_name, account_id, source_record_id, rule, severity, field, reason, record, created_at, "
                + "portfolio_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                + dialect.conflictTarget("source_name, account_id, source_record_id, rule") + " DO NOTHING")) {
            for (Rejection r : batch.rejections()) {
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
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
