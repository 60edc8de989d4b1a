package io.foliosync.connectors.ibkr.internal;

import java.security.cert.CertificateException;
import java.util.Objects;

/**
 * The gateway's trust managers refuse a certificate with this, so the fingerprint of what was presented
 * travels through the TLS stack (as the cause of its handshake exception) to the message the user reads.
 */
final class RejectedCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final String host;
    private final int port;
    private final String fingerprint;
    private final String reason;

    /**
     * @param fingerprint lower-case hex SHA-256 of the presented leaf certificate; empty when none was presented
     * @param reason      why it is refused and what to change, for the user
     */
    RejectedCertificateException(String host, int port, String fingerprint, String reason, Throwable cause) {
        super("the Client Portal gateway at " + host + ":" + port + " presented a certificate with SHA-256 "
                + fingerprint + ", which is not trusted: " + reason, cause);
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String fingerprint() {
        return fingerprint;
    }

    String reason() {
        return reason;
    }
}
