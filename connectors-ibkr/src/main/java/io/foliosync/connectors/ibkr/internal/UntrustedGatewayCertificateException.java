package io.foliosync.connectors.ibkr.internal;

import io.foliosync.connectors.api.ConnectorException;
import java.util.Objects;
import java.util.Optional;

/**
 * A call failed because the Client Portal gateway presented a TLS certificate this connector does not trust.
 * Its message names the gateway's host and port, the presented certificate's SHA-256 when known, and the
 * configuration lines that pin it. Kept inside the module until connectors-api has a typed exception for this.
 */
final class UntrustedGatewayCertificateException extends ConnectorException {
    private static final long serialVersionUID = 1L;
    private final String host;
    private final int port;
    private final String fingerprint;

    UntrustedGatewayCertificateException(String source, String host, int port, Optional<String> fingerprint,
                                         String message, Throwable cause) {
        super(source, message, cause);
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.fingerprint = fingerprint.filter(f -> !f.isEmpty()).orElse(null);
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** @return the lower-case hex SHA-256 of the certificate presented, when the handshake got one */
    Optional<String> fingerprint() {
        return Optional.ofNullable(fingerprint);
    }
}
