package io.foliosync.connectors.api;

/**
 * The source refused the credentials, a session or token expired, or the user must authorize again. The
 * message says what the user has to do.
 */
public class AuthenticationException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String source, String message) {
        super(source, message);
    }

    public AuthenticationException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}
