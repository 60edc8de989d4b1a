package io.foliosync.connectors.api.secrets;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConnectorException;
import org.apiguardian.api.API;

/**
 * Stored secrets could not be decrypted: the master key differs from the one they were encrypted with, or
 * the stored value is corrupted. Never yields garbage instead.
 */
@API(status = INTERNAL, since = "0.1")
public class SecretDecryptionException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public SecretDecryptionException(String message, Throwable cause) {
        super("credentials", message, cause);
    }
}
