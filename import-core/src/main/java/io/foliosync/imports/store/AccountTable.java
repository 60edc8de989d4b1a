package io.foliosync.imports.store;

import io.foliosync.connectors.api.Account;
import io.foliosync.imports.pipeline.Hashing;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** {@code accounts} and {@code data_source_links}: each source's accounts, rewritten only when they change. */
final class AccountTable {
    private final JdbcPortfolioStore db;
    private final SqlDialect dialect;
    private final String portfolio;

    AccountTable(JdbcPortfolioStore db) {
        this.db = db;
        this.dialect = db.dialect();
        this.portfolio = db.portfolio();
    }

    long saveAccounts(long jobId, String sourceType, String sourceName, List<Account> accounts, Instant at) {
        if (accounts.isEmpty()) {
            return 0;
        }
        return db.write(c -> {
            long changed = 0;
            for (Account a : accounts) {
                String hash = Hashing.sha256(a.accountId() + '\u001f' + a.name() + '\u001f' + a.type() + '\u001f'
                        + a.baseCurrency() + '\u001f' + a.status() + '\u001f'
                        + a.balance().map(b -> b.stripTrailingZeros().toPlainString()).orElse(""));
                Long ref = null;
                String oldHash = null;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, content_hash FROM accounts WHERE source_name = ? AND account_id = ? "
                                + "AND portfolio_id = ?")) {
                    ps.setString(1, sourceName);
                    ps.setString(2, a.accountId());
                    ps.setString(3, portfolio);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            ref = rs.getLong(1);
                            oldHash = rs.getString(2);
                        }
                    }
                }
                if (ref == null) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (source_type, source_name, "
                            + "account_id, name, account_type, base_currency, status, balance, content_hash, created_at, "
                            + "updated_at, portfolio_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                        bindAccount(ps, sourceType, sourceName, a, hash, at);
                        dialect.setInstant(ps, 11, at);
                        ps.setString(12, portfolio);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            ref = rs.getLong(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO data_source_links (account_ref, "
                            + "source_type, source_name, external_account_id, last_synced_at, last_job_id, created_at, "
                            + "portfolio_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setLong(1, ref);
                        ps.setString(2, sourceType);
                        ps.setString(3, sourceName);
                        ps.setString(4, a.accountId());
                        dialect.setInstant(ps, 5, at);
                        ps.setLong(6, jobId);
                        dialect.setInstant(ps, 7, at);
                        ps.setString(8, portfolio);
                        ps.executeUpdate();
                    }
                    changed++;
                } else {
                    if (!hash.equals(oldHash)) {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET source_type = ?, "
                                + "source_name = ?, account_id = ?, name = ?, account_type = ?, base_currency = ?, "
                                + "status = ?, balance = ?, content_hash = ?, updated_at = ? WHERE id = ?")) {
                            bindAccount(ps, sourceType, sourceName, a, hash, at);
                            ps.setLong(11, ref);
                            ps.executeUpdate();
                        }
                        changed++;
                    }
                    try (PreparedStatement ps = c.prepareStatement("UPDATE data_source_links SET last_synced_at = ?, "
                            + "last_job_id = ? WHERE account_ref = ?")) {
                        dialect.setInstant(ps, 1, at);
                        ps.setLong(2, jobId);
                        ps.setLong(3, ref);
                        ps.executeUpdate();
                    }
                }
            }
            return changed;
        });
    }

    private void bindAccount(PreparedStatement ps, String sourceType, String sourceName, Account a, String hash,
                             Instant at) throws SQLException {
        ps.setString(1, sourceType);
        ps.setString(2, sourceName);
        ps.setString(3, a.accountId());
        ps.setString(4, a.name());
        ps.setString(5, a.type().name());
        ps.setString(6, a.baseCurrency());
        ps.setString(7, a.status().name());
        dialect.setDecimal(ps, 8, a.balance());
        ps.setString(9, hash);
        dialect.setInstant(ps, 10, at);
    }
}
