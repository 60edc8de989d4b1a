package io.foliosync.imports.store;

import io.foliosync.imports.reconcile.AccountKind;
import io.foliosync.imports.reconcile.ReconciliationCheckpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code reconciliation_checkpoints} and their {@code reconciliation_effects}: one account's replaced as a whole. */
final class ReconciliationCheckpointTable {
    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final String portfolio;

    ReconciliationCheckpointTable(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
    }

    Optional<ReconciliationCheckpoint> read(String sourceName, String accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM reconciliation_checkpoints WHERE "
                    + "portfolio_id = ? AND source_name = ? AND account_id = ?")) {
                bindAccount(ps, sourceName, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new ReconciliationCheckpoint(sourceName, accountId,
                            AccountKind.valueOf(rs.getString("account_kind")), rs.getLong("through_job_id"),
                            dialect.instant(rs, "folded_through"), rs.getInt("folded_snapshots"),
                            dialect.instant(rs, "first_transaction"), effects(c, sourceName, accountId),
                            dialect.instant(rs, "checked_at").orElseThrow()));
                }
            }
        });
    }

    private List<ReconciliationCheckpoint.Entry> effects(Connection c, String sourceName, String accountId)
            throws SQLException {
        List<ReconciliationCheckpoint.Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT cash_leg, asset, effective_at, delta FROM "
                + "reconciliation_effects WHERE portfolio_id = ? AND source_name = ? AND account_id = ? ORDER BY seq")) {
            bindAccount(ps, sourceName, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ReconciliationCheckpoint.Entry(rs.getInt("cash_leg") != 0, rs.getString("asset"),
                            dialect.instant(rs, "effective_at").orElseThrow(),
                            dialect.decimal(rs, "delta").orElseThrow()));
                }
            }
        }
        return out;
    }

    void save(ReconciliationCheckpoint cp) {
        db.write(c -> {
            for (String table : List.of("reconciliation_effects", "reconciliation_checkpoints")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                        + " WHERE portfolio_id = ? AND source_name = ? AND account_id = ?")) {
                    bindAccount(ps, cp.namespace(), cp.accountId());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reconciliation_checkpoints (portfolio_id, "
                    + "source_name, account_id, account_kind, through_job_id, folded_through, folded_snapshots, "
                    + "first_transaction, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindAccount(ps, cp.namespace(), cp.accountId());
                ps.setString(4, cp.kind().name());
                ps.setLong(5, cp.throughJobId());
                dialect.setInstant(ps, 6, cp.foldedThrough().orElse(null));
                ps.setInt(7, cp.foldedSnapshots());
                dialect.setInstant(ps, 8, cp.firstTransaction().orElse(null));
                dialect.setInstant(ps, 9, cp.checkedAt());
                ps.executeUpdate();
            }
            if (!cp.effects().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO reconciliation_effects (portfolio_id, "
                        + "source_name, account_id, seq, cash_leg, asset, effective_at, delta) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int seq = 0;
                    for (ReconciliationCheckpoint.Entry e : cp.effects()) {
                        bindAccount(ps, cp.namespace(), cp.accountId());
                        ps.setInt(4, seq++);
                        ps.setInt(5, e.cashLeg() ? 1 : 0);
                        ps.setString(6, e.asset());
                        dialect.setInstant(ps, 7, e.at());
                        dialect.setDecimal(ps, 8, e.delta());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    private void bindAccount(PreparedStatement ps, String sourceName, String accountId) throws SQLException {
        ps.setString(1, portfolio);
        ps.setString(2, sourceName);
        ps.setString(3, accountId);
    }
}
