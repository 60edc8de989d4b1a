package io.foliosync.plugins;

import io.foliosync.connectors.api.secrets.CredentialStore;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A CredentialStore like import-core's, kept in memory: each value encrypted with SecretCipher. */
final class EncryptingMemoryCredentialStore implements CredentialStore {
    private final SecretCipher cipher;
    final Map<String, Map<String, String>> stored = new ConcurrentHashMap<>();

    EncryptingMemoryCredentialStore(SecretCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public void save(String ownerId, Map<String, String> credentials) {
        Map<String, String> encrypted = new HashMap<>();
        credentials.forEach((k, v) -> encrypted.put(k, cipher.encrypt(v, "plugin_configs/" + ownerId + "/" + k)));
        stored.put(ownerId, encrypted);
    }

    @Override
    public Optional<Map<String, String>> load(String ownerId) {
        Map<String, String> encrypted = stored.get(ownerId);
        if (encrypted == null) {
            return Optional.empty();
        }
        Map<String, String> plain = new HashMap<>();
        encrypted.forEach((k, v) -> plain.put(k, cipher.decrypt(v, "plugin_configs/" + ownerId + "/" + k)));
        return Optional.of(plain);
    }

    @Override
    public void delete(String ownerId) {
        stored.remove(ownerId);
    }
}
