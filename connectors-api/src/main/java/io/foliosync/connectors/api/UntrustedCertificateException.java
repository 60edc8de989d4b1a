package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apiguardian.api.API;

/**
 * The TLS peer presented a certificate this machine does not trust (self-signed, expired, for another host,
 * or pinned to another key). It carries what a user needs to check the certificate and pin it.
 *
 * <p>Deliberately not a {@link NetworkException}: the connection worked, and no number of retries makes a
 * certificate trusted, while the import job retries every {@code NetworkException}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class UntrustedCertificateException extends DataFetchException {
    private static final long serialVersionUID = 1L;
    private final String host;
    private final int port;
    private final String sha256Fingerprint;

    /**
     * @param cause             the TLS failure; its certificate failure is shown (the JDK's or a pinning trust
     *                          manager's reason), so it must not hold a secret; may be null
     * @param sha256Fingerprint the presented leaf certificate's SHA-256, as {@link #fingerprint(Certificate)}
     *                          prints it; null when it could not be captured
     */
    public UntrustedCertificateException(String source, String host, int port, String sha256Fingerprint,
                                         Throwable cause) {
        this(source, host, port, sha256Fingerprint, "the TLS certificate presented by " + host + ":"
                + port + " is not trusted" + (sha256Fingerprint == null ? "" : " (SHA-256 " + sha256Fingerprint
                + ")") + (cause == null ? "" : ": " + findCertificateFailure(cause).orElse(cause)), cause);
    }

    /**
     * For a connector that knows what the user should do (the configuration lines that pin this certificate).
     *
     * @param message the whole message: that the certificate is not trusted, its fingerprint, the fix; no secret
     */
    public UntrustedCertificateException(String source, String host, int port, String sha256Fingerprint,
                                         String message, Throwable cause) {
        super(source, host + ":" + port, null, null, null, message, cause);
        this.host = host;
        this.port = port;
        this.sha256Fingerprint = sha256Fingerprint;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** @return the leaf certificate's SHA-256 as keytool prints it ({@code AB:CD:...}), when captured */
    public Optional<String> sha256Fingerprint() {
        return Optional.ofNullable(sha256Fingerprint);
    }

    /**
     * Finds the failure that means "certificate not trusted" in a cause chain, by type: an
     * {@link SSLPeerUnverifiedException}, an {@link SSLHandshakeException} or a {@link CertificateException}.
     * A handshake can fail for other reasons (no common protocol), which the JDK reports with the same
     * {@code SSLHandshakeException}; it is still not worth a retry, so it is treated alike.
     *
     * @return the first such throwable in {@code t}'s cause chain, {@code t} included
     */
    public static Optional<Throwable> findCertificateFailure(Throwable t) {
        // Bounded: a cause chain can loop.
        Throwable c = t;
        for (int depth = 0; c != null && depth < 32; depth++, c = c.getCause()) {
            if (c instanceof SSLPeerUnverifiedException || c instanceof SSLHandshakeException
                    || c instanceof CertificateException) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** @return the SHA-256 of {@code certificate}'s encoding, upper-case hex pairs joined by colons */
    public static String fingerprint(Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate: " + e, e);
        }
    }
}
