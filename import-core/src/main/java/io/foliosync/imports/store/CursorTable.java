package io.foliosync.imports.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** {@code sync_cursors}: where each source's next sync starts reading transactions. */
final class CursorTable {
    private static final String TX_STREAM = "transactions";

    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final String portfolio;

    CursorTable(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
    }

    /** The cursor read (a hot statement: {@code QueryPlanTest} asserts its index); parameters: source, stream, portfolio. */
    static final String CURSOR =
            "SELECT cursor_value FROM sync_cursors WHERE source_name = ? AND stream = ? AND portfolio_id = ?";

    Optional<Instant> cursor(String sourceName) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(CURSOR)) {
                ps.setString(1, sourceName);
                ps.setString(2, TX_STREAM);
                ps.setString(3, portfolio);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Instant.parse(rs.getString(1))) : Optional.<Instant>empty();
                }
            }
        });
    }

    /** Moves the cursor in the transaction that ends the job, so a crash never leaves one without the other. */
    void advance(Connection c, String sourceName, Instant cursor, long jobId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_cursors (source_name, stream, "
                + "cursor_value, job_id, updated_at, portfolio_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                + dialect.conflictTarget("source_name, stream") + " DO UPDATE SET cursor_value = excluded.cursor_value, job_id = excluded.job_id, "
                + "updated_at = excluded.updated_at")) {
            ps.setString(1, sourceName);
            ps.setString(2, TX_STREAM);
            ps.setString(3, cursor.toString());
            ps.setLong(4, jobId);
            dialect.setInstant(ps, 5, at);
            ps.setString(6, portfolio);
            ps.executeUpdate();
        }
    }
}
