package io.foliosync.imports.store;

import io.foliosync.imports.reconcile.TransferLink;
import io.foliosync.imports.reconcile.TransferLinkMethod;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code transfer_links}: the two sides of each transfer between the user's own accounts. */
final class TransferLinkTable {
    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final String portfolio;

    TransferLinkTable(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
    }

    /**
     * Inserts the links in one transaction; a link one of whose sides is linked already (by another run
     * meanwhile) is skipped.
     *
     * @return the links inserted
     */
    List<TransferLink> save(List<TransferLink> links) {
        return db.write(c -> {
            List<TransferLink> saved = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO transfer_links (out_source_name, "
                    + "out_account_id, out_source_id, in_source_name, in_account_id, in_source_id, symbol, quantity, "
                    + "method, linked_at, portfolio_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (TransferLink l : links) {
                    ps.setString(1, l.outSourceName());
                    ps.setString(2, l.outAccountId());
                    ps.setString(3, l.outSourceId());
                    ps.setString(4, l.inSourceName());
                    ps.setString(5, l.inAccountId());
                    ps.setString(6, l.inSourceId());
                    ps.setString(7, l.symbol());
                    dialect.setDecimal(ps, 8, l.quantity());
                    ps.setString(9, l.method().dbValue());
                    dialect.setInstant(ps, 10, l.linkedAt());
                    ps.setString(11, portfolio);
                    if (ps.executeUpdate() == 1) {
                        saved.add(l);
                    }
                }
            }
            return saved;
        });
    }

    /** @return the links one of whose sides is in the namespace (every link when empty), oldest first */
    List<TransferLink> links(Optional<String> sourceName) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM transfer_links WHERE portfolio_id = ?"
                    + (sourceName.isPresent() ? " AND (out_source_name = ? OR in_source_name = ?)" : "")
                    + " ORDER BY id")) {
                ps.setString(1, portfolio);
                if (sourceName.isPresent()) {
                    ps.setString(2, sourceName.get());
                    ps.setString(3, sourceName.get());
                }
                List<TransferLink> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TransferLink(rs.getString("out_source_name"), rs.getString("out_account_id"),
                                rs.getString("out_source_id"), rs.getString("in_source_name"),
                                rs.getString("in_account_id"), rs.getString("in_source_id"), rs.getString("symbol"),
                                dialect.decimal(rs, "quantity").orElseThrow(),
                                TransferLinkMethod.fromDb(rs.getString("method")),
                                dialect.instant(rs, "linked_at").orElseThrow()));
                    }
                }
                return out;
            }
        });
    }
}
