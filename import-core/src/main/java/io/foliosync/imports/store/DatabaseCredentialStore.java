package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.secrets.CredentialStore;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CredentialStore} on the {@code plugin_configs} table: each owner's credentials are one JSON object,
 * encrypted with AES-256-GCM ({@link SecretCipher}) into {@code config_encrypted}, bound to the context
 * {@code plugin_configs/<owner id>} so a value copied to another row does not decrypt. Get one from
 * {@link PortfolioStore#credentials(SecretCipher)}.
 */
@API(status = INTERNAL, since = "0.1")
public final class DatabaseCredentialStore implements CredentialStore {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCredentialStore.class);

    private final JdbcPortfolioStore store;
    private final SecretCipher cipher;
    private final Clock clock = Clock.systemUTC();

    DatabaseCredentialStore(JdbcPortfolioStore store, SecretCipher cipher) {
        this.store = Objects.requireNonNull(store, "store");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /** Bound into the ciphertext: a value copied to another owner's (or another portfolio's) row does not decrypt. */
    private String context(String ownerId) {
        return context(store.portfolio(), ownerId);
    }

    private static String context(String portfolio, String ownerId) {
        return portfolio.equals(JdbcPortfolioStore.DEFAULT_PORTFOLIO) ? "plugin_configs/" + ownerId
                : "plugin_configs/" + portfolio + "/" + ownerId;
    }

    @Override
    public void save(String ownerId, Map<String, String> credentials) {
        Objects.requireNonNull(ownerId, "ownerId");
        String encrypted = cipher.encrypt(AttributesJson.write(credentials), context(ownerId));
        SqlDialect d = store.dialect();
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO plugin_configs (plugin_id, config_encrypted, "
                    + "enabled, created_at, updated_at, portfolio_id) VALUES (?, ?, TRUE, ?, ?, ?) ON CONFLICT "
                    + d.conflictTarget("plugin_id") + " DO UPDATE SET config_encrypted = excluded.config_encrypted, updated_at = excluded.updated_at")) {
                ps.setString(1, ownerId);
                ps.setString(2, encrypted);
                d.setInstant(ps, 3, clock.instant());
                d.setInstant(ps, 4, clock.instant());
                ps.setString(5, store.portfolio());
                return ps.executeUpdate();
            }
        });
    }

    /** @throws io.foliosync.connectors.api.secrets.SecretDecryptionException under another master key */
    @Override
    public Optional<Map<String, String>> load(String ownerId) {
        Optional<String> encrypted = store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT config_encrypted FROM plugin_configs WHERE plugin_id = ? AND portfolio_id = ?")) {
                ps.setString(1, ownerId);
                ps.setString(2, store.portfolio());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        return encrypted.map(e -> AttributesJson.read(cipher.decrypt(e, context(ownerId))));
    }

    @Override
    public void delete(String ownerId) {
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM plugin_configs WHERE plugin_id = ? AND portfolio_id = ?")) {
                ps.setString(1, ownerId);
                ps.setString(2, store.portfolio());
                return ps.executeUpdate();
            }
        });
    }

    /** @return the ids with stored credentials */
    public List<String> owners() {
        return store.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT plugin_id FROM plugin_configs WHERE portfolio_id = ? ORDER BY plugin_id")) {
                ps.setString(1, store.portfolio());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /**
     * @return how many rows of every portfolio hold encrypted credentials (the master key is one per database): a
     *         missing key file is not replaced by a new key while this is above zero
     */
    public static long storedCount(JdbcPortfolioStore store) {
        return store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM plugin_configs");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * @return the rows of every portfolio this store's key cannot decrypt, as {@code owner} (or
     *         {@code portfolio/owner} outside the default portfolio); empty when the key reads them all
     */
    public List<String> unreadable() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<List<String>, String> e : allRows().entrySet()) {
            String portfolio = e.getKey().get(0);
            String owner = e.getKey().get(1);
            try {
                cipher.decryptBytes(e.getValue(), context(portfolio, owner));
            } catch (io.foliosync.connectors.api.secrets.SecretDecryptionException unreadable) {
                out.add(portfolio.equals(JdbcPortfolioStore.DEFAULT_PORTFOLIO) ? owner : portfolio + "/" + owner);
            }
        }
        return out;
    }

    /**
     * Deletes, in one database transaction, every row of every portfolio this store's key cannot decrypt: the
     * remedy when the key they were encrypted with is lost, so that they can be entered again.
     *
     * @return the rows deleted, as {@link #unreadable()} names them
     */
    public List<String> deleteUnreadable() {
        List<String> deleted = new ArrayList<>();
        store.write(c -> {
            Map<List<String>, String> rows = rows(c);
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM plugin_configs WHERE portfolio_id = ? AND plugin_id = ?")) {
                for (Map.Entry<List<String>, String> e : rows.entrySet()) {
                    String portfolio = e.getKey().get(0);
                    String owner = e.getKey().get(1);
                    try {
                        cipher.decryptBytes(e.getValue(), context(portfolio, owner));
                    } catch (io.foliosync.connectors.api.secrets.SecretDecryptionException unreadable) {
                        ps.setString(1, portfolio);
                        ps.setString(2, owner);
                        ps.addBatch();
                        deleted.add(portfolio.equals(JdbcPortfolioStore.DEFAULT_PORTFOLIO) ? owner
                                : portfolio + "/" + owner);
                    }
                }
                ps.executeBatch();
            }
            return deleted.size();
        });
        LOG.info("deleted {} plugin_configs rows master key {} cannot decrypt", deleted.size(), cipher.key().id());
        return deleted;
    }

    private Map<List<String>, String> allRows() {
        return store.read(DatabaseCredentialStore::rows);
    }

    /** @return every portfolio's rows, (portfolio, owner) → encrypted value, in a stable order */
    private static Map<List<String>, String> rows(java.sql.Connection c) throws java.sql.SQLException {
        Map<List<String>, String> rows = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT portfolio_id, plugin_id, config_encrypted FROM plugin_configs ORDER BY portfolio_id, plugin_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(List.of(rs.getString(1), rs.getString(2)), rs.getString(3));
            }
        }
        return rows;
    }

    /**
     * Re-encrypts every row of every portfolio (the master key is one per database) under {@code next}'s key, in place, in one database transaction: either every row
     * moves to the new key or (on any failure, such as a row this store's key cannot decrypt) none does.
     *
     * @return a store using the new key
     * @throws io.foliosync.connectors.api.secrets.SecretDecryptionException naming the row that failed
     */
    public DatabaseCredentialStore rotateKey(SecretCipher next) {
        Objects.requireNonNull(next, "next");
        SqlDialect d = store.dialect();
        int rows = store.write(c -> {
            Map<List<String>, String> current = rows(c);
            try (PreparedStatement ps = c.prepareStatement("UPDATE plugin_configs SET config_encrypted = ?, "
                    + "updated_at = ? WHERE plugin_id = ? AND portfolio_id = ?")) {
                for (Map.Entry<List<String>, String> e : current.entrySet()) {
                    String portfolio = e.getKey().get(0);
                    String owner = e.getKey().get(1);
                    ps.setString(1, next.reencrypt(e.getValue(), context(portfolio, owner), cipher));
                    d.setInstant(ps, 2, clock.instant());
                    ps.setString(3, owner);
                    ps.setString(4, portfolio);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return current.size();
        });
        LOG.info("re-encrypted {} plugin_configs rows from master key {} to {}", rows, cipher.key().id(),
                next.key().id());
        return new DatabaseCredentialStore(store, next);
    }
}
