package io.foliosync.connectors.ibkr.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.UntrustedCertificateException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trust for the Client Portal gateway's self-signed certificate, and for nothing else: the client it returns
 * is derived from the shared one with {@code newBuilder()}, trusts exactly the pinned certificate (by SHA-256
 * of its DER encoding), accepts no other host, and the JDK's default verification is never touched.
 *
 * <p>Pins come from a configured certificate file, a configured SHA-256 fingerprint, or — for a gateway on
 * a loopback address only — trust on first use: the first certificate seen is pinned in a file in the data
 * directory, and any later, different certificate is refused.
 *
 * <p>Host names: the gateway's certificate is IBKR's, issued for no name the user's URL has; since the exact
 * certificate is pinned, the host-name check only confirms the connection goes to the configured gateway host.
 */
@API(status = INTERNAL, since = "0.1")
public final class GatewayTrust {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayTrust.class);

    /**
     * How to trust the gateway.
     *
     * @param expiryWarning how long before a pinned certificate's end of validity a warning is logged
     * @param clock         what "now" is for that warning
     */
    public record Settings(Optional<Path> certificateFile, Optional<String> sha256Fingerprint,
                           boolean trustOnFirstUse, Path pinFile, Duration expiryWarning, Clock clock) {
        public Settings {
            Objects.requireNonNull(expiryWarning, "expiryWarning");
            Objects.requireNonNull(clock, "clock");
        }

        /** Settings warning 30 days ahead on the system clock. */
        public Settings(Optional<Path> certificateFile, Optional<String> sha256Fingerprint, boolean trustOnFirstUse,
                        Path pinFile) {
            this(certificateFile, sha256Fingerprint, trustOnFirstUse, pinFile, DEFAULT_EXPIRY_WARNING,
                    Clock.systemUTC());
        }
    }

    /** A pinned certificate that ends within this is warned about. */
    public static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofDays(30);
    /** A certificate still expired or expiring is warned about again after this. */
    private static final Duration WARN_AGAIN_AFTER = Duration.ofDays(1);

    private GatewayTrust() {
    }

    /**
     * @return {@code base} unchanged for an http URL, or for an https gateway with nothing pinned that is not
     *         on a loopback address (a gateway behind a publicly trusted certificate); else a client that
     *         trusts only the pinned certificate and only talks to {@code gateway}'s host and port
     */
    public static OkHttpClient clientFor(OkHttpClient base, HttpUrl gateway, Settings settings, String source) {
        if (!gateway.isHttps()) {
            return base;
        }
        String host = gateway.host();
        int port = gateway.port();
        Set<String> pins = new HashSet<>();
        ExpiryWarnings expiry = new ExpiryWarnings(gateway, settings);
        settings.certificateFile().ifPresent(f -> {
            X509Certificate configured = readCertificate(f, source);
            pins.add(fingerprint(configured));
            expiry.check(configured); // before any connection: the configured file itself is out of date
        });
        settings.sha256Fingerprint().ifPresent(p -> pins.add(normalize(p, source)));
        boolean tofu = false;
        if (pins.isEmpty()) {
            if (!settings.trustOnFirstUse() || !isLoopback(gateway.host())) {
                return jdkVerified(base, gateway);
            }
            Optional<String> stored = readPin(settings.pinFile());
            stored.ifPresent(pins::add);
            tofu = stored.isEmpty();
        }
        PinningTrustManager trust = new PinningTrustManager(pins, tofu, settings.pinFile(), gateway, expiry);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
            return base.newBuilder()
                    .sslSocketFactory(context.getSocketFactory(), trust)
                    .hostnameVerifier((hostname, session) -> hostname.equalsIgnoreCase(host))
                    .addInterceptor(chain -> {
                        HttpUrl url = chain.request().url();
                        if (!url.host().equalsIgnoreCase(host) || url.port() != port) {
                            throw new IOException("the pinned gateway client only talks to " + host + ":" + port
                                    + ", not " + url.host() + ":" + url.port());
                        }
                        return chain.proceed(chain.request());
                    })
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /**
     * A gateway with nothing pinned keeps the JDK's verification, unchanged; its trust manager is only wrapped
     * so that a refused certificate's fingerprint reaches the error message, which is what the user needs to
     * pin it. Only this gateway's client is derived; {@code base} is untouched.
     */
    private static OkHttpClient jdkVerified(OkHttpClient base, HttpUrl gateway) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager jdk) {
                    FingerprintingTrustManager trust = new FingerprintingTrustManager(jdk, gateway);
                    SSLContext context = SSLContext.getInstance("TLS");
                    context.init(null, new TrustManager[] {trust}, null);
                    return base.newBuilder().sslSocketFactory(context.getSocketFactory(), trust).build();
                }
            }
            return base;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /**
     * @return when {@code failure} was caused by a certificate the gateway presented and this client does not
     *         trust, a message saying so, with the presented certificate's SHA-256 when known and the
     *         {@code data_sources.yaml} lines that pin it; empty for any other failure (a refused connection,
     *         a timeout, an HTTP error)
     */
    public static Optional<String> untrustedCertificateMessage(Throwable failure, HttpUrl gateway) {
        return untrustedCause(failure).map(cause -> describe(cause, gateway));
    }

    /**
     * @return {@link #untrustedCertificateMessage} as a typed exception keeping {@code failure} as its cause;
     *         empty for any other failure
     */
    public static Optional<ConnectorException> untrustedCertificate(Throwable failure, HttpUrl gateway,
                                                                   String source) {
        return untrustedCause(failure).map(cause -> new UntrustedCertificateException(source,
                gateway.host(), gateway.port(), cause instanceof RejectedCertificateException r
                        && !r.fingerprint().isEmpty() ? openSslStyle(r.fingerprint()) : null,
                describe(cause, gateway), failure));
    }

    /**
     * Decided by type, never by message text. A bare {@link javax.net.ssl.SSLHandshakeException} is not
     * enough: a gateway that closes the connection mid-handshake raises one too, and "start it" is the right
     * advice for that; a refused certificate always has a {@link CertificateException} (or, for a name the
     * certificate does not carry, an {@link SSLPeerUnverifiedException}) in the chain.
     */
    private static Optional<Throwable> untrustedCause(Throwable failure) {
        Throwable found = null;
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof RejectedCertificateException) {
                return Optional.of(t);
            }
            if (found == null && !(t instanceof PinNotStoredException)
                    && (t instanceof CertificateException || t instanceof SSLPeerUnverifiedException)) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    private static String describe(Throwable cause, HttpUrl gateway) {
        String where = gateway.host() + ":" + gateway.port();
        StringBuilder m = new StringBuilder("the TLS certificate of the Client Portal gateway at ").append(where)
                .append(" is not trusted: ");
        String pinLine;
        if (cause instanceof RejectedCertificateException r && !r.fingerprint().isEmpty()) {
            String shown = openSslStyle(r.fingerprint());
            m.append(r.reason()).append(". It presented the certificate with SHA-256 ").append(shown)
                    .append(". If that is your gateway's certificate (compare with the SHA-256 that `openssl x509 "
                            + "-noout -fingerprint -sha256 -in <the gateway's certificate>` prints on the gateway's "
                            + "machine), pin it in data_sources.yaml:");
            pinLine = shown;
        } else {
            m.append(cause.getClass().getSimpleName()).append(". Get the gateway's certificate fingerprint with "
                    + "`openssl s_client -connect ").append(where).append(" </dev/null 2>/dev/null | openssl x509 "
                    + "-noout -fingerprint -sha256` and, if it is your gateway's, pin it in data_sources.yaml:");
            pinLine = "<the SHA-256 fingerprint>";
        }
        m.append("\ninteractive_brokers:\n  tls:\n    sha256_fingerprint: \"").append(pinLine).append('"');
        return m.toString();
    }

    /** @return {@code AB:CD:...}, as {@code openssl x509 -fingerprint -sha256} prints it */
    static String openSslStyle(String hex) {
        return String.join(":", hex.toUpperCase(Locale.ROOT).split("(?<=\\G..)"));
    }

    /** @return whether {@code host} is {@code localhost} or a loopback IP literal (no DNS lookup) */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.matches("[0-9.]+") || h.contains(":")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** @return the lower-case hex SHA-256 of the certificate's DER encoding */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    static String normalize(String pin, String source) {
        String hex = pin.trim().toLowerCase(Locale.ROOT).replaceFirst("^sha256[:/]", "").replace(":", "")
                .replace(" ", "");
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new ConfigurationException(source, "interactive_brokers.tls.sha256_fingerprint: expected 64 hex "
                    + "digits (colons allowed), as `openssl x509 -noout -fingerprint -sha256` prints");
        }
        return hex;
    }

    static X509Certificate readCertificate(Path file, String source) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new ConfigurationException(source, "interactive_brokers.tls.certificate_file: cannot read a PEM "
                    + "or DER certificate from " + file + ": " + e.getMessage());
        }
    }

    private static Optional<String> readPin(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String pin = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pin.matches("[0-9a-f]{64}") ? Optional.of(pin) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Logs a warning naming the gateway's host and the date when a pinned certificate has expired or ends within
     * the configured window: the pin keeps such a certificate trusted (its dates do not weaken an exact pin),
     * so without the warning nothing would say it needs replacing. Once per certificate per day.
     */
    static final class ExpiryWarnings {
        private final HttpUrl gateway;
        private final Settings settings;
        private final Map<String, Instant> warned = new HashMap<>();

        ExpiryWarnings(HttpUrl gateway, Settings settings) {
            this.gateway = gateway;
            this.settings = settings;
        }

        synchronized void check(X509Certificate certificate) {
            Instant now = settings.clock().instant();
            Instant notAfter = certificate.getNotAfter().toInstant();
            if (notAfter.isAfter(now.plus(settings.expiryWarning()))) {
                return;
            }
            String fp = fingerprint(certificate);
            Instant last = warned.get(fp);
            if (last != null && now.isBefore(last.plus(WARN_AGAIN_AFTER))) {
                return;
            }
            warned.put(fp, now);
            LocalDate day = LocalDate.ofInstant(notAfter, ZoneOffset.UTC);
            String when = notAfter.isAfter(now)
                    ? "expires on " + day + " (" + notAfter + ", in " + Duration.between(now, notAfter).toDays()
                            + " days)"
                    : "EXPIRED on " + day + " (" + notAfter + ")";
            LOG.warn("ibkr: the pinned Client Portal gateway certificate at {}:{} (SHA-256 {}, subject {}) {}. "
                    + "FolioSync still trusts it because it is pinned exactly, but browsers and other clients will "
                    + "refuse it: give the gateway a new certificate (its keystore in root/conf.yaml), then update "
                    + "interactive_brokers.tls.sha256_fingerprint or tls.certificate_file, or, for a pin learned "
                    + "on first use, delete {}", gateway.host(), gateway.port(), fp,
                    certificate.getSubjectX500Principal().getName(), when, settings.pinFile());
        }
    }

    /** Trusts a chain whose leaf certificate has one of the pinned fingerprints. */
    static final class PinningTrustManager extends X509ExtendedTrustManager {
        private final Set<String> pins;
        private final Path pinFile;
        private final HttpUrl gateway;
        private final ExpiryWarnings expiry;
        private boolean trustOnFirstUse;

        PinningTrustManager(Set<String> pins, boolean trustOnFirstUse, Path pinFile, HttpUrl gateway,
                            ExpiryWarnings expiry) {
            this.pins = new HashSet<>(pins);
            this.trustOnFirstUse = trustOnFirstUse;
            this.pinFile = pinFile;
            this.gateway = gateway;
            this.expiry = expiry;
        }

        private synchronized void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the gateway presented no certificate");
            }
            String fp = fingerprint(chain[0]);
            if (pins.contains(fp)) {
                expiry.check(chain[0]);
                return;
            }
            if (trustOnFirstUse) {
                storePin(fp);
                pins.add(fp);
                trustOnFirstUse = false;
                LOG.warn("ibkr: trusting the Client Portal gateway certificate at {}:{} on first use (SHA-256 {}); "
                        + "pinned in {}: a different certificate will be refused", gateway.host(), gateway.port(),
                        fp, pinFile);
                expiry.check(chain[0]);
                return;
            }
            throw new RejectedCertificateException(gateway.host(), gateway.port(), fp, "it is not the pinned one; if "
                    + "you replaced the gateway's certificate, update interactive_brokers.tls"
                    + (Files.isRegularFile(pinFile) ? " or delete " + pinFile : ""), null);
        }

        private void storePin(String fp) throws CertificateException {
            try {
                Path dir = pinFile.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, ".gateway-pin", ".tmp");
                Files.writeString(tmp, fp + "\n", StandardCharsets.US_ASCII);
                Files.move(tmp, pinFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new PinNotStoredException("cannot store the gateway certificate pin in " + pinFile + ": " + e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * The JDK's own verification, unchanged, for a gateway with nothing pinned; a chain it refuses is refused
     * with the leaf's fingerprint attached, so the message can show the user what to pin.
     */
    static final class FingerprintingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager jdk;
        private final HttpUrl gateway;

        FingerprintingTrustManager(X509ExtendedTrustManager jdk, HttpUrl gateway) {
            this.jdk = jdk;
            this.gateway = gateway;
        }

        private RejectedCertificateException rejected(X509Certificate[] chain, CertificateException e) {
            String fp = chain == null || chain.length == 0 ? "" : fingerprint(chain[0]);
            return new RejectedCertificateException(gateway.host(), gateway.port(), fp, "no certificate authority "
                    + "this Java runtime trusts issued it (the gateway's own certificate is self-signed)", e);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                jdk.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw rejected(chain, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                jdk.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw rejected(chain, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                jdk.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw rejected(chain, e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            jdk.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            jdk.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            jdk.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return jdk.getAcceptedIssuers();
        }
    }
}
