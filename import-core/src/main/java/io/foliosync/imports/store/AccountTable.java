package io.foliosync.imports.store;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.imports.pipeline.Hashing;
import io.foliosync.imports.query.StoredAccount;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    List<StoredAccount> accounts(Optional<String> sourceName) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.source_type, a.source_name, a.account_id, a.name, "
                    + "a.account_type, a.base_currency, a.status, a.balance, "
                    + "(SELECT MAX(l.last_synced_at) FROM data_source_links l WHERE l.account_ref = a.id) AS synced "
                    + "FROM accounts a WHERE a.portfolio_id = ?"
                    + (sourceName.isPresent() ? " AND a.source_name = ?" : "")
                    + " ORDER BY a.source_name, a.account_id")) {
                ps.setString(1, portfolio);
                if (sourceName.isPresent()) {
                    ps.setString(2, sourceName.get());
                }
                List<StoredAccount> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String namespace = rs.getString("source_name");
                        Account a = new Account(rs.getString("account_id"), rs.getString("name"),
                                AccountType.valueOf(rs.getString("account_type")), rs.getString("base_currency"),
                                AccountStatus.valueOf(rs.getString("status")), dialect.decimal(rs, "balance"),
                                namespace);
                        out.add(new StoredAccount(rs.getString("source_type"), namespace, a,
                                dialect.instant(rs, "synced")));
                    }
                }
                return out;
            }
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
