package io.foliosync.imports;

import io.foliosync.connectors.api.ConnectorException;

/** A sync was asked for a source that is already syncing, in this process or in another on the same database. */
public class SourceBusyException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public SourceBusyException(String sourceId, String where) {
        super(sourceId, "already being synced " + where + "; skipped, not started twice: sync it again when "
                + "that sync has finished");
    }
}
