package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ConnectorException;
import org.apiguardian.api.API;

/**
 * A sink could not deliver a batch (its destination unreachable, its token refused, an answer it cannot read).
 * The batch counts as not delivered; the next sync hands it again.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class SinkException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param sinkId  the sink's id
     * @param message what went wrong and what to do, never holding a secret
     * @param cause   the underlying error; may be null
     */
    public SinkException(String sinkId, String message, Throwable cause) {
        super(sinkId, message, cause);
    }

    public SinkException(String sinkId, String message) {
        this(sinkId, message, null);
    }
}
