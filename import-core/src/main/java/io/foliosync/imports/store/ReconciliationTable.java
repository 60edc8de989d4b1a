package io.foliosync.imports.store;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.reconcile.AssetReconciliation;
import io.foliosync.imports.reconcile.ReconciliationStatus;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code reconciliation_results} and {@code data_source_links.data_quality_score}. */
final class ReconciliationTable {
    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final String portfolio;

    ReconciliationTable(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
    }

    void save(OptionalLong jobId, AccountReconciliation r) {
        db.statistics().beforeWrite("reconciliation_results");
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO reconciliation_results (source_name, "
                    + "account_id, asset, asset_class, reported, derived, difference, status, opening_quantity, "
                    + "diverged_on, job_id, checked_at, portfolio_id, suspect_records, counted_other, "
                    + "agreed_through) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AssetReconciliation a : r.assets()) {
                    ps.setString(1, r.namespace());
                    ps.setString(2, r.accountId());
                    ps.setString(3, a.asset());
                    ps.setString(4, a.assetClass().name());
                    dialect.setDecimal(ps, 5, a.reported());
                    dialect.setDecimal(ps, 6, a.derived());
                    dialect.setDecimal(ps, 7, a.difference());
                    ps.setString(8, a.status().dbValue());
                    dialect.setDecimal(ps, 9, a.openingQuantity());
                    if (a.divergedOn().isPresent()) {
                        dialect.setDate(ps, 10, a.divergedOn().get());
                    } else {
                        ps.setNull(10, dialect == SqlDialect.SQLITE ? Types.VARCHAR : Types.DATE);
                    }
                    if (jobId.isPresent()) {
                        ps.setLong(11, jobId.getAsLong());
                    } else {
                        ps.setNull(11, Types.BIGINT);
                    }
                    dialect.setInstant(ps, 12, r.checkedAt());
                    ps.setString(13, portfolio);
                    ps.setString(14, lines(a.suspectRecords()));
                    ps.setString(15, lines(a.countedOther()));
                    if (a.agreedThrough().isPresent()) {
                        dialect.setDate(ps, 16, a.agreedThrough().get());
                    } else {
                        ps.setNull(16, dialect == SqlDialect.SQLITE ? Types.VARCHAR : Types.DATE);
                    }
                    ps.addBatch();
                }
                if (!r.assets().isEmpty()) {
                    ps.executeBatch();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE data_source_links SET data_quality_score = ? "
                    + "WHERE source_name = ? AND external_account_id = ? AND portfolio_id = ?")) {
                dialect.setDecimal(ps, 1, r.dataQualityScore());
                ps.setString(2, r.namespace());
                ps.setString(3, r.accountId());
                ps.setString(4, portfolio);
                ps.executeUpdate();
            }
            return null;
        });
        db.statistics().grew("reconciliation_results", r.assets().size());
    }

    /** Each account's latest check (a hot statement, see QueryPlanTest); parameters: portfolio[, source]. */
    static String latestSql(boolean bySource) {
        return "SELECT r.* FROM reconciliation_results r WHERE "
                + "r.portfolio_id = ? AND " + (bySource ? "r.source_name = ? AND " : "")
                + "r.checked_at = (SELECT MAX(x.checked_at) FROM reconciliation_results x WHERE "
                + "x.portfolio_id = r.portfolio_id AND x.source_name = r.source_name AND x.account_id = "
                + "r.account_id) ORDER BY r.source_name, r.account_id, r.asset, r.id";
    }

    /** @return each account's latest check, by namespace and account */
    List<AccountReconciliation> latest(Optional<String> sourceName) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(latestSql(sourceName.isPresent()))) {
                ps.setString(1, portfolio);
                if (sourceName.isPresent()) {
                    ps.setString(2, sourceName.get());
                }
                Map<List<String>, List<AssetReconciliation>> assets = new LinkedHashMap<>();
                Map<List<String>, Instant> checked = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> key = List.of(rs.getString("source_name"), rs.getString("account_id"));
                        checked.put(key, dialect.instant(rs, "checked_at").orElseThrow());
                        String diverged = rs.getString("diverged_on");
                        Optional<LocalDate> divergedOn = diverged == null ? Optional.empty()
                                : Optional.of(dialect.date(rs, "diverged_on"));
                        assets.computeIfAbsent(key, k -> new ArrayList<>()).add(new AssetReconciliation(
                                rs.getString("asset"), AssetClass.valueOf(rs.getString("asset_class")),
                                dialect.decimal(rs, "reported").orElseThrow(),
                                dialect.decimal(rs, "derived").orElseThrow(),
                                dialect.decimal(rs, "difference").orElseThrow(),
                                ReconciliationStatus.fromDb(rs.getString("status")),
                                dialect.decimal(rs, "opening_quantity"), divergedOn,
                                rs.getString("agreed_through") == null ? Optional.empty()
                                        : Optional.of(dialect.date(rs, "agreed_through")),
                                lines(rs.getString("suspect_records")), lines(rs.getString("counted_other"))));
                    }
                }
                List<AccountReconciliation> out = new ArrayList<>();
                assets.forEach((k, v) -> out.add(new AccountReconciliation(k.get(0), k.get(1), v, checked.get(k))));
                return out;
            }
        });
    }

    /** @return the sentences one per line (none contains a line break: each names records and figures), or null */
    private static String lines(List<String> sentences) {
        return sentences.isEmpty() ? null : String.join("\n", sentences);
    }

    private static List<String> lines(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : List.of(stored.split("\n"));
    }

    Optional<String> syncedBy(String sourceName, String accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT j.source_name FROM data_source_links l "
                    + "JOIN import_jobs j ON j.id = l.last_job_id "
                    + "WHERE l.source_name = ? AND l.external_account_id = ? AND l.portfolio_id = ?")) {
                ps.setString(1, sourceName);
                ps.setString(2, accountId);
                ps.setString(3, portfolio);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    Optional<BigDecimal> dataQualityScore(String sourceName, String accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT data_quality_score FROM data_source_links "
                    + "WHERE source_name = ? AND external_account_id = ? AND portfolio_id = ?")) {
                ps.setString(1, sourceName);
                ps.setString(2, accountId);
                ps.setString(3, portfolio);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? dialect.decimal(rs, "data_quality_score") : Optional.empty();
                }
            }
        });
    }
}
