package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.imports.RegisteredSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * {@code portfolios} and {@code portfolio_sources}: which portfolios a database serves and the sources registered
 * for each. Get it from {@link JdbcPortfolioStore#registry()}.
 */
@API(status = INTERNAL, since = "0.1")
public final class PortfolioRegistry {
    // children first: the foreign keys point at accounts, import_jobs and portfolios
    private static final List<String> PORTFOLIO_TABLES = List.of("holdings", "holding_snapshots", "data_source_links",
            "accounts", "transactions", "sync_cursors", "quarantine", "reconciliation_results", "transfer_links",
            "plugin_configs", "portfolio_sources", "import_jobs");

    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;

    PortfolioRegistry(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
    }

    /** @return false when the portfolio exists already */
    public boolean create(String id, String name, Instant at) {
        PortfolioIds.check(id);
        return db.write(c -> {
            if (exists(c, id)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO portfolios (id, name, created_at) VALUES (?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, name);
                dialect.setInstant(ps, 3, at);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** @return the portfolio ids, sorted, the default one included */
    public List<String> ids() {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM portfolios ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    public boolean exists(String id) {
        return db.read(c -> exists(c, id));
    }

    /**
     * Deletes the portfolio and every row it owns (data, jobs, cursors, sources, credentials) in one transaction.
     *
     * @return false when there was no such portfolio
     */
    public boolean delete(String id) {
        return db.write(c -> {
            if (!exists(c, id)) {
                return false;
            }
            for (String table : PORTFOLIO_TABLES) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE portfolio_id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM portfolios WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /**
     * @throws IllegalArgumentException when the portfolio does not exist or has a source of that id already
     */
    public void addSource(RegisteredSource s, Instant at) {
        db.write(c -> {
            if (!exists(c, s.portfolioId())) {
                throw new IllegalArgumentException("no portfolio '" + s.portfolioId() + "': register it first");
            }
            if (source(c, s.portfolioId(), s.sourceId()).isPresent()) {
                throw new IllegalArgumentException("portfolio '" + s.portfolioId() + "' has a source '"
                        + s.sourceId() + "' already");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO portfolio_sources (portfolio_id, source_id, "
                    + "section, settings, period_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.portfolioId());
                ps.setString(2, s.sourceId());
                ps.setString(3, s.section());
                ps.setString(4, AttributesJson.write(s.settings()));
                ps.setLong(5, s.period().toSeconds());
                dialect.setInstant(ps, 6, at);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<RegisteredSource> source(String portfolioId, String sourceId) {
        return db.read(c -> source(c, portfolioId, sourceId));
    }

    /** @return the portfolio's sources by id */
    public List<RegisteredSource> sources(String portfolioId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM portfolio_sources WHERE portfolio_id = ? ORDER BY source_id")) {
                ps.setString(1, portfolioId);
                return rows(ps);
            }
        });
    }

    /** @return false when there was no such source */
    public boolean deleteSource(String portfolioId, String sourceId) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM portfolio_sources WHERE portfolio_id = ? AND source_id = ?")) {
                ps.setString(1, portfolioId);
                ps.setString(2, sourceId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM portfolios WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<RegisteredSource> source(Connection c, String portfolioId, String sourceId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM portfolio_sources WHERE portfolio_id = ? AND source_id = ?")) {
            ps.setString(1, portfolioId);
            ps.setString(2, sourceId);
            return rows(ps).stream().findFirst();
        }
    }

    private static List<RegisteredSource> rows(PreparedStatement ps) throws SQLException {
        List<RegisteredSource> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RegisteredSource(rs.getString("portfolio_id"), rs.getString("source_id"),
                        rs.getString("section"), AttributesJson.read(rs.getString("settings")),
                        Duration.ofSeconds(rs.getLong("period_seconds"))));
            }
        }
        return out;
    }
}
