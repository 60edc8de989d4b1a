package io.foliosync.imports.store;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CredentialStore} on the {@code plugin_configs} table: each owner's credentials are one JSON object,
 * encrypted with AES-256-GCM ({@link SecretCipher}) into {@code config_encrypted}, bound to the context
 * {@code plugin_configs/<owner id>} so a value copied to another row does not decrypt. Get one from
 * {@link PortfolioStore#credentials(SecretCipher)}.
 */
public final class DatabaseCredentialStore implements CredentialStore {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCredentialStore.class);

    private final JdbcPortfolioStore store;
    private final SecretCipher cipher;
    private final Clock clock = Clock.systemUTC();

    DatabaseCredentialStore(JdbcPortfolioStore store, SecretCipher cipher) {
        this.store = Objects.requireNonNull(store, "store");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    static String context(String ownerId) {
        return "plugin_configs/" + ownerId;
    }

    @Override
    public void save(String ownerId, Map<String, String> credentials) {
        Objects.requireNonNull(ownerId, "ownerId");
        String encrypted = cipher.encrypt(AttributesJson.write(credentials), context(ownerId));
        SqlDialect d = store.dialect();
        store.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO plugin_configs (plugin_id, config_encrypted, "
                    + "enabled, created_at, updated_at) VALUES (?, ?, TRUE, ?, ?) ON CONFLICT (plugin_id) DO UPDATE "
                    + "SET config_encrypted = excluded.config_encrypted, updated_at = excluded.updated_at")) {
                ps.setString(1, ownerId);
                ps.setString(2, encrypted);
                d.setInstant(ps, 3, clock.instant());
                d.setInstant(ps, 4, clock.instant());
                return ps.executeUpdate();
            }
        });
    }

    /** @throws io.foliosync.connectors.api.secrets.SecretDecryptionException under another master key */
    @Override
    public Optional<Map<String, String>> load(String ownerId) {
        Optional<String> encrypted = store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT config_encrypted FROM plugin_configs WHERE plugin_id = ?")) {
                ps.setString(1, ownerId);
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
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM plugin_configs WHERE plugin_id = ?")) {
                ps.setString(1, ownerId);
                return ps.executeUpdate();
            }
        });
    }

    /** @return the ids with stored credentials */
    public List<String> owners() {
        return store.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT plugin_id FROM plugin_configs ORDER BY plugin_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /**
     * Re-encrypts every row under {@code next}'s key, in place, in one database transaction: either every row
     * moves to the new key or (on any failure, such as a row this store's key cannot decrypt) none does.
     *
     * @return a store using the new key
     * @throws io.foliosync.connectors.api.secrets.SecretDecryptionException naming the row that failed
     */
    public DatabaseCredentialStore rotateKey(SecretCipher next) {
        Objects.requireNonNull(next, "next");
        SqlDialect d = store.dialect();
        int rows = store.write(c -> {
            Map<String, String> current = new java.util.LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT plugin_id, config_encrypted FROM plugin_configs");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    current.put(rs.getString(1), rs.getString(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE plugin_configs SET config_encrypted = ?, updated_at = ? WHERE plugin_id = ?")) {
                for (Map.Entry<String, String> e : current.entrySet()) {
                    ps.setString(1, next.reencrypt(e.getValue(), context(e.getKey()), cipher));
                    d.setInstant(ps, 2, clock.instant());
                    ps.setString(3, e.getKey());
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
