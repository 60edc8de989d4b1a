package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A source (connector, plugin or provider) failed. The branch of {@link FolioSyncException} a connector throws:
 * a caller handles the families it can act on ({@link AuthenticationException}, {@link RateLimitException},
 * {@link NetworkException}, {@link MalformedDataException}, other {@link DataFetchException}s) and lets the rest
 * reach the import job, which records them and fails that source alone.
 *
 * <p>A wrong configuration is a {@link ConfigurationException} and a failing store a {@link StorageException}, not
 * a {@code ConnectorException}: neither is one source's failure. Messages name the source and what to do, and never
 * contain a secret.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public non-sealed class ConnectorException extends FolioSyncException {
    private static final long serialVersionUID = 1L;

    /**
     * @param source  the connector, plugin or provider id; may be null when not known
     * @param message what went wrong, for a person
     * @param cause   the underlying error; may be null
     */
    public ConnectorException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }

    public ConnectorException(String source, String message) {
        this(source, message, null);
    }
}
