package io.foliosync.connectors.ibkr;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.testing.LogCapture;
import io.foliosync.connectors.ibkr.internal.GatewayTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway over HTTPS with a self-signed certificate generated here, as IBKR's gateway ships one. */
class GatewayTlsTest {
    private final MockWebServer server = new MockWebServer();
    private final Routes routes = new Routes();
    private HeldCertificate gatewayCert;
    @TempDir
    Path data;

    @BeforeEach
    void start() throws Exception {
        gatewayCert = selfSigned();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(gatewayCert).build().sslSocketFactory());
        routes.on("POST /v1/api/iserver/auth/status", Routes.json("cpapi/auth-status.json"))
                .on("GET /v1/api/portfolio/accounts", Routes.json("cpapi/portfolio-accounts.json"));
        server.setDispatcher(routes);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static HeldCertificate selfSigned() {
        // IBKR's gateway certificate names no host the user types: no subject alternative names here either
        // valid for two years, as the gateway's own certificate, so no expiry warning is due (the default is 24 h)
        long now = System.currentTimeMillis();
        return new HeldCertificate.Builder().commonName("Client Portal Gateway")
                .validityInterval(now - Duration.ofHours(1).toMillis(), now + Duration.ofDays(730).toMillis())
                .build();
    }

    private IbkrConnector.Builder builder() {
        return IbkrConnector.builder()
                .baseUrl(server.url("/v1/api").toString())
                .dataDirectory(data)
                .rateLimiters(RateLimiterRegistry.isolated())
                .sleeper(d -> { })
                .keepAliveInterval(Duration.ofHours(1))
                .testing(100, false);
    }

    private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

    private static HeldCertificate validUntil(Instant notAfter) {
        return new HeldCertificate.Builder().commonName("Client Portal Gateway")
                .validityInterval(notAfter.minus(Duration.ofDays(365)).toEpochMilli(), notAfter.toEpochMilli())
                .build();
    }

    /** A second gateway, showing {@code cert}. */
    private static MockWebServer gatewayShowing(HeldCertificate cert) throws Exception {
        MockWebServer gw = new MockWebServer();
        gw.useHttps(new HandshakeCertificates.Builder().heldCertificate(cert).build().sslSocketFactory());
        gw.setDispatcher(new Routes().on("POST /v1/api/iserver/auth/status", Routes.json("cpapi/auth-status.json"))
                .on("GET /v1/api/portfolio/accounts", Routes.json("cpapi/portfolio-accounts.json")));
        gw.start();
        return gw;
    }

    private List<String> expiryWarnings(LogCapture logs) {
        return logs.messages().stream().filter(m -> m.contains("pinned Client Portal gateway certificate")).toList();
    }

    @Test
    void anExpiredPinnedCertificateIsStillTrustedButWarnedAboutNamingTheHostAndTheDate() throws Exception {
        HeldCertificate expired = validUntil(Instant.parse("2026-10-31T12:00:00Z"));
        try (MockWebServer gw = gatewayShowing(expired);
             LogCapture logs = LogCapture.of("io.foliosync.connectors.ibkr");
             IbkrConnector ibkr = builder().baseUrl(gw.url("/v1/api").toString()).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                     .gatewaySha256Fingerprint(GatewayTrust.fingerprint(expired.certificate()))
                     .trustOnFirstUse(false).build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).as(r.message()).isTrue();
            assertThat(expiryWarnings(logs)).singleElement().satisfies(m -> assertThat(m)
                    .contains(gw.getHostName() + ":" + gw.getPort())
                    .contains("EXPIRED on 2026-10-31")
                    .contains(GatewayTrust.fingerprint(expired.certificate()))
                    .contains("tls.sha256_fingerprint"));
        }
    }

    @Test
    void aCertificateEndingWithinTheWarningWindowIsWarnedAboutOnceAndOneFurtherAwayIsNot() throws Exception {
        HeldCertificate soon = validUntil(NOW.plus(Duration.ofDays(10)).plus(Duration.ofHours(1)));
        String pin = GatewayTrust.fingerprint(soon.certificate());
        try (MockWebServer gw = gatewayShowing(soon)) {
            try (LogCapture logs = LogCapture.of("io.foliosync.connectors.ibkr");
                 IbkrConnector ibkr = builder().baseUrl(gw.url("/v1/api").toString())
                         .clock(Clock.fixed(NOW, ZoneOffset.UTC)).gatewaySha256Fingerprint(pin)
                         .gatewayCertificateExpiryWarningDays(30).build()) {
                assertThat(ibkr.authenticate().success()).isTrue();
                assertThat(ibkr.authenticate().success()).isTrue();
                assertThat(expiryWarnings(logs)).singleElement().satisfies(m -> assertThat(m)
                        .contains(gw.getHostName() + ":" + gw.getPort())
                        .contains("expires on 2026-12-05")
                        .contains("in 10 days"));
            }
            try (LogCapture logs = LogCapture.of("io.foliosync.connectors.ibkr");
                 IbkrConnector ibkr = builder().baseUrl(gw.url("/v1/api").toString())
                         .clock(Clock.fixed(NOW, ZoneOffset.UTC)).gatewaySha256Fingerprint(pin)
                         .gatewayCertificateExpiryWarningDays(7).build()) {
                assertThat(ibkr.authenticate().success()).isTrue();
                assertThat(expiryWarnings(logs)).isEmpty();
            }
        }
    }

    @Test
    void anExpiredConfiguredCertificateFileIsWarnedAboutWhenTheConnectorIsBuilt() throws Exception {
        HeldCertificate expired = validUntil(Instant.parse("2025-03-01T00:00:00Z"));
        Path pem = data.resolve("expired-gateway.pem");
        Files.writeString(pem, expired.certificatePem());
        try (LogCapture logs = LogCapture.of("io.foliosync.connectors.ibkr");
             IbkrConnector ibkr = builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).gatewayCertificateFile(pem)
                     .build()) {
            assertThat(ibkr).isNotNull();
            assertThat(expiryWarnings(logs)).singleElement().satisfies(m -> assertThat(m)
                    .contains(server.getHostName() + ":" + server.getPort())
                    .contains("EXPIRED on 2025-03-01"));
            assertThat(routes.calls()).isEmpty();
        }
    }

    @Test
    void pinnedFingerprintOfTheGatewayCertificateIsTrusted() {
        String pin = GatewayTrust.fingerprint(gatewayCert.certificate());
        try (IbkrConnector ibkr = builder().gatewaySha256Fingerprint(pin).trustOnFirstUse(false).build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).as(r.message()).isTrue();
        }
    }

    @Test
    void colonSeparatedUpperCaseFingerprintAsOpensslPrintsItIsAccepted() {
        String hex = GatewayTrust.fingerprint(gatewayCert.certificate()).toUpperCase();
        String openssl = String.join(":", hex.split("(?<=\\G..)"));
        try (IbkrConnector ibkr = builder().gatewaySha256Fingerprint(openssl).trustOnFirstUse(false).build()) {
            assertThat(ibkr.authenticate().success()).isTrue();
        }
    }

    @Test
    void configuredCertificateFileIsTrusted() throws Exception {
        Path pem = data.resolve("gateway.pem");
        Files.writeString(pem, gatewayCert.certificatePem());
        try (IbkrConnector ibkr = builder().gatewayCertificateFile(pem).trustOnFirstUse(false).build()) {
            assertThat(ibkr.authenticate().success()).isTrue();
        }
    }

    @Test
    void aCertificateOtherThanThePinnedOneIsRefused() {
        String otherPin = GatewayTrust.fingerprint(selfSigned().certificate());
        try (IbkrConnector ibkr = builder().gatewaySha256Fingerprint(otherPin).build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).isFalse();
            assertThat(r.message()).contains("not the pinned one");
            assertThat(routes.calls()).isEmpty();
        }
    }

    /** {@code AB:CD:...}, as openssl prints a SHA-256 fingerprint */
    private static String opensslFingerprint(HeldCertificate cert) {
        return String.join(":", GatewayTrust.fingerprint(cert.certificate()).toUpperCase().split("(?<=\\G..)"));
    }

    @Test
    void withoutAPinAndWithoutTrustOnFirstUseTheUntrustedCertificateIsReportedWithItsFingerprintAndTheLinesToPinIt() {
        try (IbkrConnector ibkr = builder().trustOnFirstUse(false).build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).isFalse();
            assertThat(r.message())
                    .contains("certificate of the Client Portal gateway at " + server.getHostName() + ":"
                            + server.getPort() + " is not trusted")
                    .contains(opensslFingerprint(gatewayCert))
                    .contains("interactive_brokers:\n  tls:\n    sha256_fingerprint: \"" + opensslFingerprint(gatewayCert)
                            + "\"")
                    .doesNotContain("start it");
            assertThat(routes.calls()).isEmpty();
        }
    }

    @Test
    void theFingerprintTheMessageShowsIsTheOneThatThenWorksAsAPin() {
        String message;
        try (IbkrConnector ibkr = builder().trustOnFirstUse(false).build()) {
            message = ibkr.authenticate().message();
        }
        String pin = message.substring(message.lastIndexOf("sha256_fingerprint: \"") + 21, message.length() - 1);
        try (IbkrConnector ibkr = builder().trustOnFirstUse(false).gatewaySha256Fingerprint(pin).build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).as(r.message()).isTrue();
        }
    }

    @Test
    void aMisPinnedGatewayReportsThePresentedFingerprintAndTheLinesToPinIt() {
        String otherPin = GatewayTrust.fingerprint(selfSigned().certificate());
        try (IbkrConnector ibkr = builder().gatewaySha256Fingerprint(otherPin).build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).isFalse();
            assertThat(r.message()).contains("is not trusted").contains("not the pinned one")
                    .contains(opensslFingerprint(gatewayCert))
                    .contains("sha256_fingerprint: \"" + opensslFingerprint(gatewayCert) + "\"")
                    .doesNotContain("start it");
        }
    }

    @Test
    void aHealthCheckAgainstAnUntrustedCertificateSaysSoWithItsFingerprint() {
        String pin = GatewayTrust.fingerprint(gatewayCert.certificate());
        try (MockWebServer impostor = new MockWebServer()) {
            HeldCertificate other = selfSigned();
            impostor.useHttps(new HandshakeCertificates.Builder().heldCertificate(other).build().sslSocketFactory());
            impostor.setDispatcher(new Routes());
            impostor.start();
            try (IbkrConnector ibkr = builder().baseUrl(impostor.url("/v1/api").toString())
                    .gatewaySha256Fingerprint(pin).build()) {
                assertThat(ibkr.healthCheck().message()).contains("is not trusted")
                        .contains(opensslFingerprint(other));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRefusedPortStillSaysTheGatewayCannotBeReachedAndShouldBeStarted() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "https://" + server.getHostName() + ":" + closedPort + "/v1/api";
        try (IbkrConnector ibkr = builder().baseUrl(url).trustOnFirstUse(false).build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).isFalse();
            assertThat(r.message()).contains("cannot reach the Client Portal gateway").contains("start it")
                    .doesNotContain("not trusted");
        }
    }

    @Test
    void trustOnFirstUsePinsTheFirstCertificateAndRefusesAChangedOne() throws Exception {
        Path pinFile = data.resolve("ibkr").resolve("gateway.sha256");
        try (IbkrConnector ibkr = builder().pinFile(pinFile).build()) {
            assertThat(ibkr.authenticate().success()).isTrue();
        }
        assertThat(Files.readString(pinFile).trim()).isEqualTo(GatewayTrust.fingerprint(gatewayCert.certificate()));
        try (IbkrConnector again = builder().pinFile(pinFile).build()) {
            assertThat(again.authenticate().success()).isTrue();
        }
        // the gateway now shows another certificate: refused
        try (MockWebServer impostor = new MockWebServer()) {
            impostor.useHttps(new HandshakeCertificates.Builder().heldCertificate(selfSigned()).build()
                    .sslSocketFactory());
            Routes impostorRoutes = new Routes().on("POST /v1/api/iserver/auth/status",
                    Routes.json("cpapi/auth-status.json"));
            impostor.setDispatcher(impostorRoutes);
            impostor.start();
            try (IbkrConnector ibkr = builder().baseUrl(impostor.url("/v1/api").toString()).pinFile(pinFile).build()) {
                AuthenticationResult r = ibkr.authenticate();
                assertThat(r.success()).isFalse();
                assertThat(r.message()).contains("not the pinned one");
                assertThat(impostorRoutes.calls()).isEmpty();
            }
        }
    }

    @Test
    void thePinnedClientTalksToNoOtherHostAndTheSharedClientIsUntouched() throws Exception {
        OkHttpClient shared = new OkHttpClient();
        OkHttpClient pinned = GatewayTrust.clientFor(shared, server.url("/v1/api"), new GatewayTrust.Settings(
                java.util.Optional.empty(), java.util.Optional.of(GatewayTrust.fingerprint(gatewayCert.certificate())),
                false, data.resolve("pin")), "ibkr");
        try (Response ok = pinned.newCall(new Request.Builder().url(server.url("/v1/api/portfolio/accounts")).build())
                .execute()) {
            assertThat(ok.code()).isEqualTo(200);
        }
        String otherHost = server.url("/").newBuilder().host("127.0.0.1").build().toString();
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        pinned.newCall(new Request.Builder().url(otherHost).build()).execute().close())
                .isInstanceOf(java.io.IOException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        shared.newCall(new Request.Builder().url(server.url("/v1/api/portfolio/accounts")).build())
                                .execute().close())
                .isInstanceOf(javax.net.ssl.SSLException.class);
    }
}
