package io.foliosync.connectors.ibkr.internal;

import java.security.cert.CertificateException;

/**
 * Trust on first use could not write its pin: a file-system problem, not an untrusted certificate, so it is
 * kept apart from {@link RejectedCertificateException} and never reported as one.
 */
final class PinNotStoredException extends CertificateException {
    private static final long serialVersionUID = 1L;

    PinNotStoredException(String message) {
        super(message);
    }
}
