package io.foliosync.imports.store;

import io.foliosync.connectors.api.sink.SinkContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code sink_cursors} and {@code sink_remote_ids}: what each sink received of each account. */
final class SinkTable {
    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final String portfolio;

    SinkTable(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
    }

    Optional<SinkCursor> cursor(String sinkId, String sourceName, String accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sink_cursors WHERE portfolio_id = ? "
                    + "AND sink_id = ? AND source_name = ? AND account_id = ?")) {
                ps.setString(1, portfolio);
                ps.setString(2, sinkId);
                ps.setString(3, sourceName);
                ps.setString(4, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(cursor(rs)) : Optional.<SinkCursor>empty();
                }
            }
        });
    }

    List<SinkCursor> cursors() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sink_cursors WHERE portfolio_id = ? "
                    + "ORDER BY sink_id, source_name, account_id")) {
                ps.setString(1, portfolio);
                List<SinkCursor> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(cursor(rs));
                    }
                }
                return out;
            }
        });
    }

    private SinkCursor cursor(ResultSet rs) throws java.sql.SQLException {
        return new SinkCursor(rs.getString("sink_id"), rs.getString("source_name"), rs.getString("account_id"),
                new StoredChange.Position(rs.getLong("last_job_id"), rs.getLong("last_row_id")),
                rs.getLong("snapshot_id"), dialect.instant(rs, "delivered_at"),
                dialect.instant(rs, "attempted_at").orElseThrow(), Optional.ofNullable(rs.getString("last_error")));
    }

    /** Moves the cursor to {@code to} and {@code snapshotId}, and clears the last error. */
    void advance(String sinkId, String sourceName, String accountId, StoredChange.Position to, long snapshotId,
                 Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sink_cursors (portfolio_id, sink_id, "
                    + "source_name, account_id, last_job_id, last_row_id, snapshot_id, delivered_at, attempted_at, "
                    + "last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (portfolio_id, sink_id, "
                    + "source_name, account_id) DO UPDATE SET last_job_id = excluded.last_job_id, last_row_id = "
                    + "excluded.last_row_id, snapshot_id = excluded.snapshot_id, delivered_at = excluded.delivered_at, "
                    + "attempted_at = excluded.attempted_at, last_error = NULL")) {
                bindKey(ps, sinkId, sourceName, accountId);
                ps.setLong(5, to.jobId());
                ps.setLong(6, to.rowId());
                ps.setLong(7, snapshotId);
                dialect.setInstant(ps, 8, at);
                dialect.setInstant(ps, 9, at);
                return ps.executeUpdate();
            }
        });
    }

    int reset(String sinkId) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sink_cursors WHERE portfolio_id = ? AND "
                    + "sink_id = ?")) {
                ps.setString(1, portfolio);
                ps.setString(2, sinkId);
                return ps.executeUpdate();
            }
        });
    }

    /** Records a failed delivery; the cursor stays where it is. */
    void failed(String sinkId, String sourceName, String accountId, String error, Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sink_cursors (portfolio_id, sink_id, "
                    + "source_name, account_id, attempted_at, last_error) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                    + "(portfolio_id, sink_id, source_name, account_id) DO UPDATE SET attempted_at = "
                    + "excluded.attempted_at, last_error = excluded.last_error")) {
                bindKey(ps, sinkId, sourceName, accountId);
                dialect.setInstant(ps, 5, at);
                ps.setString(6, JdbcPortfolioStore.truncate(error));
                return ps.executeUpdate();
            }
        });
    }

    private void bindKey(PreparedStatement ps, String sinkId, String sourceName, String accountId)
            throws java.sql.SQLException {
        ps.setString(1, portfolio);
        ps.setString(2, sinkId);
        ps.setString(3, sourceName);
        ps.setString(4, accountId);
    }

    SinkContext.RemoteIds remoteIds(String sinkId, String sourceName, String accountId, Clock clock) {
        return new RemoteIds(sinkId, sourceName, accountId, clock);
    }

    /** One account's map, read and written straight through to the table. */
    private final class RemoteIds implements SinkContext.RemoteIds {
        private final String sinkId;
        private final String sourceName;
        private final String accountId;
        private final Clock clock;

        RemoteIds(String sinkId, String sourceName, String accountId, Clock clock) {
            this.sinkId = sinkId;
            this.sourceName = sourceName;
            this.accountId = accountId;
            this.clock = clock;
        }

        @Override
        public Optional<SinkContext.RemoteId> get(String recordId) {
            return db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT remote_id, content_hash FROM sink_remote_ids "
                        + "WHERE portfolio_id = ? AND sink_id = ? AND source_name = ? AND account_id = ? "
                        + "AND record_id = ?")) {
                    bindKey(ps, sinkId, sourceName, accountId);
                    ps.setString(5, recordId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new SinkContext.RemoteId(rs.getString(1), rs.getString(2)))
                                : Optional.<SinkContext.RemoteId>empty();
                    }
                }
            });
        }

        @Override
        public Map<String, SinkContext.RemoteId> all() {
            return db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT record_id, remote_id, content_hash FROM "
                        + "sink_remote_ids WHERE portfolio_id = ? AND sink_id = ? AND source_name = ? AND "
                        + "account_id = ? ORDER BY record_id")) {
                    bindKey(ps, sinkId, sourceName, accountId);
                    Map<String, SinkContext.RemoteId> out = new LinkedHashMap<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), new SinkContext.RemoteId(rs.getString(2), rs.getString(3)));
                        }
                    }
                    return out;
                }
            });
        }

        @Override
        public void put(String recordId, SinkContext.RemoteId remote) {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sink_remote_ids (portfolio_id, sink_id, "
                        + "source_name, account_id, record_id, remote_id, content_hash, updated_at) VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (portfolio_id, sink_id, source_name, account_id, "
                        + "record_id) DO UPDATE SET remote_id = excluded.remote_id, content_hash = "
                        + "excluded.content_hash, updated_at = excluded.updated_at")) {
                    bindKey(ps, sinkId, sourceName, accountId);
                    ps.setString(5, recordId);
                    ps.setString(6, remote.id());
                    ps.setString(7, remote.contentHash());
                    dialect.setInstant(ps, 8, clock.instant());
                    return ps.executeUpdate();
                }
            });
        }

        @Override
        public void remove(String recordId) {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM sink_remote_ids WHERE portfolio_id = ? "
                        + "AND sink_id = ? AND source_name = ? AND account_id = ? AND record_id = ?")) {
                    bindKey(ps, sinkId, sourceName, accountId);
                    ps.setString(5, recordId);
                    return ps.executeUpdate();
                }
            });
        }
    }
}
