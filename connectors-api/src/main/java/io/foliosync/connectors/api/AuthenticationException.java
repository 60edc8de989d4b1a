package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The source refused the credentials, a session or token expired, or the user must authorize again. The
 * message says what the user has to do.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class AuthenticationException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String source, String message) {
        super(source, message);
    }

    public AuthenticationException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
