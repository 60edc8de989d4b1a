package io.foliosync.connectors.api.secrets;

import io.foliosync.connectors.api.ConnectorException;

/**
 * Stored secrets could not be decrypted: the master key differs from the one they were encrypted with, or
 * the stored value is corrupted. Never yields garbage instead.
 */
public class SecretDecryptionException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public SecretDecryptionException(String message, Throwable cause) {
        super("credentials", message, cause);
    }
}
