package io.foliosync.imports;

import io.foliosync.connectors.api.ConnectorException;

/** A sync was asked for a source that is already syncing, in this process or (PostgreSQL) in another. */
public class SourceBusyException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public SourceBusyException(String sourceId, String where) {
        super(sourceId, "already syncing " + where + "; not started twice: wait for it to finish");
    }
}
