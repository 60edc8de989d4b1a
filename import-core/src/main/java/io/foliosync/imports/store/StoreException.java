package io.foliosync.imports.store;

import io.foliosync.connectors.api.ConnectorException;

/** The portfolio database could not be reached, migrated, read or written. */
public class StoreException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super("database", message, cause);
    }
}
