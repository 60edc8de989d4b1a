package io.foliosync.imports.store;

import io.foliosync.connectors.api.StorageException;

/**
 * The portfolio database could not be reached, migrated, read or written: the store family of
 * {@link io.foliosync.connectors.api.FolioSyncException}, never a source's failure.
 */
public class StoreException extends StorageException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super("database", message, cause);
    }
}
