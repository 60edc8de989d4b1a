package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The root of every error FolioSync reports. Unchecked, and sealed into three branches that a caller tells apart by
 * type, never by message:
 *
 * <ul>
 *   <li>{@link ConfigurationException}: the configuration (or the command line) is wrong; nothing was synced and
 *       nothing will be until it is fixed;</li>
 *   <li>{@link ConnectorException}: a source (connector, plugin, provider) failed; its families are
 *       {@link AuthenticationException} (credentials refused, clock skew), {@link RateLimitException} (too many
 *       calls), {@link NetworkException} (unreachable: the one family worth another attempt without a status),
 *       {@link MalformedDataException} (an answer that makes no sense) and the rest of {@link DataFetchException};
 *       </li>
 *   <li>{@link StorageException}: the portfolio store could not be reached, migrated, read or written.</li>
 * </ul>
 *
 * <p>The HTTP layer retries what {@code RetryPolicy.isTransient} says, by these types; nothing above it retries
 * (docs/errors.md). Messages name the source and what to do, and never contain a secret.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract sealed class FolioSyncException extends RuntimeException
        permits ConfigurationException, ConnectorException, StorageException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final String reason;

    /**
     * @param source  the connector, plugin, provider, configuration file or store the error came from; may be null
     *                when not known
     * @param message what went wrong, for a person
     * @param cause   the underlying error; may be null
     */
    protected FolioSyncException(String source, String message, Throwable cause) {
        super(source == null ? message : source + ": " + message, cause);
        this.source = source;
        this.reason = message;
    }

    /** @return what went wrong, without the source's name in front: for a message that names the source once */
    public String reason() {
        return reason == null ? "" : reason;
    }

    /** @return the connector, plugin, provider, file or store the error came from, when known */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }
}
