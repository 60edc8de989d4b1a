package io.foliosync.imports;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ConnectorException;
import org.apiguardian.api.API;

/** A sync was asked for a source that is already syncing, in this process or in another on the same database. */
@API(status = EXPERIMENTAL, since = "0.1")
public class SourceBusyException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public SourceBusyException(String sourceId, String where) {
        super(sourceId, "already being synced " + where + "; skipped, not started twice: sync it again when "
                + "that sync has finished");
    }
}
