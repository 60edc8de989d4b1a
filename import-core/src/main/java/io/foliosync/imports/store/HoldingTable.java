package io.foliosync.imports.store;

import io.foliosync.imports.query.HoldingSnapshot;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import io.foliosync.imports.pipeline.Hashing;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code holding_snapshots} and {@code holdings}: a snapshot per account whenever its positions change. */
final class HoldingTable {
    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final String portfolio;

    // The hot statements (QueryPlanTest asserts their indexes).
    /**
     * The id of each account's latest snapshot of a source; parameters: portfolio, source. Written as one grouped
     * read of the (portfolio, source, account, id) index that the statements below probe by id: the former shape
     * (each snapshot row compared with its account's MAX(id)) let both databases scan every snapshot ever stored.
     */
    private static final String LATEST_SNAPSHOT_IDS = "SELECT MAX(x.id) FROM holding_snapshots x "
            + "WHERE x.portfolio_id = ? AND x.source_name = ? GROUP BY x.account_id";
    /** Each account's latest snapshot of a source; parameters: portfolio, source. */
    static final String LATEST_SNAPSHOTS = "SELECT s.account_id, s.snapshot_hash, s.positions "
            + "FROM holding_snapshots s WHERE s.id IN (" + LATEST_SNAPSHOT_IDS + ")";
    /** The rows of each account's latest snapshot; parameters: portfolio, source. */
    static final String LATEST_HOLDINGS = "SELECT h.* FROM holdings h WHERE h.snapshot_id IN ("
            + LATEST_SNAPSHOT_IDS + ") ORDER BY h.account_id, h.symbol, h.id";
    /** An account's snapshots; parameters: source, account, portfolio. */
    static final String SNAPSHOTS = "SELECT id, as_of, positions_reported FROM "
            + "holding_snapshots WHERE source_name = ? AND account_id = ? AND portfolio_id = ? ORDER BY id";
    /** The rows of an account's snapshots; parameters: source, account, portfolio. */
    static final String SNAPSHOT_HOLDINGS = "SELECT h.* FROM holdings h JOIN holding_snapshots s ON "
            + "s.id = h.snapshot_id WHERE s.source_name = ? AND s.account_id = ? AND s.portfolio_id = ? "
            + "ORDER BY h.id";

    HoldingTable(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
    }

    long saveHoldings(long jobId, String sourceType, String sourceName, Optional<Set<String>> accounts,
                      List<Holding> holdings, Set<String> withoutPositions, Instant asOf) {
        Map<String, List<Holding>> byAccount = new LinkedHashMap<>();
        holdings.forEach(h -> byAccount.computeIfAbsent(h.accountId(), k -> new ArrayList<>()).add(h));
        // an account whose positions were not reported gets a snapshot that says so, even without cash
        withoutPositions.forEach(a -> byAccount.putIfAbsent(a, List.of()));
        db.statistics().beforeWrite("holding_snapshots");
        db.statistics().beforeWrite("holdings");
        long stored = db.write(c -> {
            // the latest snapshot of every account of the source: an account holding positions that is absent
            // from this sync's holdings is empty now
            Map<String, LatestSnapshot> latest = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(LATEST_SNAPSHOTS)) {
                ps.setString(1, portfolio);
                ps.setString(2, sourceName);
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
                boolean reported = !withoutPositions.contains(e.getKey());
                List<String> rowHashes = e.getValue().stream().map(Hashing::contentHash).sorted().toList();
                // "not reported" is part of what the snapshot says: the same cash without positions is another one
                String snapshot = Hashing.sha256((reported ? "" : "positions-not-reported;")
                        + String.join(",", rowHashes));
                LatestSnapshot previous = latest.get(e.getKey());
                if (previous != null ? snapshot.equals(previous.hash()) : e.getValue().isEmpty() && reported) {
                    continue; // unchanged, or empty for an account never seen with holdings
                }
                long snapshotId;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO holding_snapshots (job_id, source_type, "
                        + "source_name, account_id, as_of, positions, snapshot_hash, portfolio_id, positions_reported) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                    ps.setLong(1, jobId);
                    ps.setString(2, sourceType);
                    ps.setString(3, sourceName);
                    ps.setString(4, e.getKey());
                    dialect.setInstant(ps, 5, asOf);
                    ps.setInt(6, e.getValue().size());
                    ps.setString(7, snapshot);
                    ps.setString(8, portfolio);
                    ps.setBoolean(9, reported);
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
                        + "cost_basis, currency, asset_class, external_id, attributes, snapshot_hash, snapshot_id, "
                        + "portfolio_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                        ps.setString(18, portfolio);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                written += e.getValue().size();
            }
            return written;
        });
        db.statistics().grew("holdings", stored);
        db.statistics().grew("holding_snapshots", byAccount.size()); // at most one snapshot per account
        return stored;
    }

    private record LatestSnapshot(String hash, int positions) {
    }

    List<String> holdingNamespaces() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT source_name FROM holding_snapshots WHERE portfolio_id = ? ORDER BY source_name")) {
                ps.setString(1, portfolio);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    List<Holding> latestHoldings(String sourceName) {
        return db.read(c -> {
            // the rows of each account's latest snapshot; an account whose latest snapshot is empty has none
            try (PreparedStatement ps = c.prepareStatement(LATEST_HOLDINGS)) {
                ps.setString(1, portfolio);
                ps.setString(2, sourceName);
                List<Holding> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(holding(rs));
                    }
                }
                return out;
            }
        });
    }

    /** @return the account's snapshots, oldest first, each with its positions (none for an empty one) */
    List<HoldingSnapshot> snapshots(String sourceName, String accountId) {
        return db.read(c -> {
            Map<Long, Instant> asOf = new LinkedHashMap<>();
            Set<Long> notReported = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(SNAPSHOTS)) {
                ps.setString(1, sourceName);
                ps.setString(2, accountId);
                ps.setString(3, portfolio);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        asOf.put(rs.getLong("id"), dialect.instant(rs, "as_of").orElseThrow());
                        if (!rs.getBoolean("positions_reported")) {
                            notReported.add(rs.getLong("id"));
                        }
                    }
                }
            }
            Map<Long, List<Holding>> rows = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(SNAPSHOT_HOLDINGS)) {
                ps.setString(1, sourceName);
                ps.setString(2, accountId);
                ps.setString(3, portfolio);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.computeIfAbsent(rs.getLong("snapshot_id"), k -> new ArrayList<>()).add(holding(rs));
                    }
                }
            }
            List<HoldingSnapshot> out = new ArrayList<>();
            asOf.forEach((id, at) -> out.add(new HoldingSnapshot(id, at, rows.getOrDefault(id, List.of()),
                    !notReported.contains(id))));
            return out;
        });
    }

    /** @return the account's newest snapshot with its positions, read without the older ones (what a sink needs) */
    Optional<HoldingSnapshot> latestSnapshot(String sourceName, String accountId) {
        return db.read(c -> {
            long id;
            Instant at;
            boolean reported;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, as_of, positions_reported FROM holding_snapshots "
                    + "WHERE source_name = ? AND account_id = ? AND portfolio_id = ? ORDER BY id DESC LIMIT 1")) {
                ps.setString(1, sourceName);
                ps.setString(2, accountId);
                ps.setString(3, portfolio);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<HoldingSnapshot>empty();
                    }
                    id = rs.getLong("id");
                    at = dialect.instant(rs, "as_of").orElseThrow();
                    reported = rs.getBoolean("positions_reported");
                }
            }
            List<Holding> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT h.* FROM holdings h "
                    + "WHERE h.snapshot_id = ? ORDER BY h.id")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(holding(rs));
                    }
                }
            }
            return Optional.of(new HoldingSnapshot(id, at, rows, reported));
        });
    }

    private Holding holding(ResultSet rs) throws java.sql.SQLException {
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
        Map<String, String> attributes = AttributesJson.read(rs.getString("attributes"));
        attributes.forEach(b::attribute);
        // A price the source did not date was its price when the source reported the holding: valuation weighs
        // it against market-data quotes by that moment.
        if (!attributes.containsKey(Holding.PRICE_AS_OF) && rs.getObject("current_price") != null) {
            dialect.instant(rs, "as_of").ifPresent(b::priceAsOf);
        }
        return b.build();
    }
}
