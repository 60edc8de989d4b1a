package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.StorageException;
import org.apiguardian.api.API;

/**
 * The portfolio database could not be reached, migrated, read or written: the store family of
 * {@link io.foliosync.connectors.api.FolioSyncException}, never a source's failure.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class StoreException extends StorageException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super("database", message, cause);
    }
}
