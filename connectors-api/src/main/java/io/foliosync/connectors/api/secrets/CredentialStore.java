package io.foliosync.connectors.api.secrets;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Keeps the credentials of a plugin or connector encrypted at rest (import-core stores them in the
 * {@code plugin_configs} table). Implementations never write a value in plain text.
 */
@API(status = INTERNAL, since = "0.1")
public interface CredentialStore {

    /** Stores (or replaces) the credentials of {@code ownerId}, encrypted. */
    void save(String ownerId, Map<String, String> credentials);

    /**
     * @return the decrypted credentials of {@code ownerId}, or empty when none are stored
     * @throws SecretDecryptionException when they were stored under another master key
     */
    Optional<Map<String, String>> load(String ownerId);

    /** Removes the credentials of {@code ownerId}; does nothing when there are none. */
    void delete(String ownerId);
}
