package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The base of every error a connector or plugin reports. Unchecked: a caller handles the subclasses it
 * can act on and lets the rest reach the import job, which records them.
 *
 * <p>Messages name the source and what to do, and never contain a secret.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class ConnectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final String reason;

    /**
     * @param source  the connector, plugin or provider id; may be null when not known
     * @param message what went wrong, for a person
     * @param cause   the underlying error; may be null
     */
    public ConnectorException(String source, String message, Throwable cause) {
        super(source == null ? message : source + ": " + message, cause);
        this.source = source;
        this.reason = message;
    }

    public ConnectorException(String source, String message) {
        this(source, message, null);
    }

    /** @return what went wrong, without the source's name in front: for a message that names the source once */
    public String reason() {
        return reason == null ? "" : reason;
    }

    /** @return the connector, plugin or provider id the error came from, when known */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }
}
