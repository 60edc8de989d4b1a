package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The store family of {@link FolioSyncException}: the portfolio database could not be reached, migrated, read or
 * written. Not a source's failure, so not a {@link ConnectorException}: every source of a run fails alike, and the
 * fix is the database (its URL, its disk, its lock), not a source's credentials.
 *
 * <p>It lives here, beside the other families, because the root is sealed; import-core's
 * {@code io.foliosync.imports.store.StoreException} is the one FolioSync throws.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract non-sealed class StorageException extends FolioSyncException {
    private static final long serialVersionUID = 1L;

    /**
     * @param source  what failed: {@code "database"}, or the store's name
     * @param message what went wrong and what to do, for a person; never a password of the JDBC URL
     * @param cause   the underlying error; may be null
     */
    protected StorageException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
