package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ConnectorException;
import org.apiguardian.api.API;

/** The portfolio database could not be reached, migrated, read or written. */
@API(status = EXPERIMENTAL, since = "0.1")
public class StoreException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super("database", message, cause);
    }
}
