package io.foliosync.connectors.ibkr;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.ibkr.internal.GatewayTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        return new HeldCertificate.Builder().commonName("Client Portal Gateway").build();
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

    @Test
    void withoutAPinAndWithoutTrustOnFirstUseTheJdkRefusesTheSelfSignedCertificate() {
        try (IbkrConnector ibkr = builder().trustOnFirstUse(false).build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).isFalse();
            assertThat(r.message()).contains("SSLHandshakeException").doesNotContain("pinned");
            assertThat(routes.calls()).isEmpty();
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
