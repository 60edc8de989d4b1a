package io.foliosync.connectors.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.MalformedDataException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.UntrustedCertificateException;
import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.net.ssl.SSLHandshakeException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each failure type raised from a real local server, and the HTTP layer retrying only the transient ones. */
class ErrorTypesTest {
    private static final RetryPolicy THREE_ATTEMPTS = RetryPolicy.builder().maxAttempts(3)
            .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(40))
            .maxRetryAfter(Duration.ofSeconds(5)).build();

    private MockWebServer server;
    private final List<Duration> sleeps = new ArrayList<>();
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
        api = ApiClient.of("tiingo", HttpClients.builder("tiingo").retryPolicy(THREE_ATTEMPTS)
                .sleeper(sleeps::add).random(new Random(7)).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Request get(String path) {
        return new Request.Builder().url(server.url(path)).build();
    }

    @Test
    void connectionRefusedIsANetworkExceptionRetriedByTheHttpLayer() throws Exception {
        HttpUrl closed;
        try (MockWebServer gone = new MockWebServer()) {
            gone.start(InetAddress.getLoopbackAddress(), 0);
            closed = gone.url("/daily");
        }

        assertThatThrownBy(() -> api.execute(new Request.Builder().url(closed).build()))
                .isInstanceOfSatisfying(NetworkException.class, e -> {
                    assertThat(e).hasCauseInstanceOf(ConnectException.class)
                            .hasMessageStartingWith("tiingo: GET /daily: network error");
                    assertThat(e.endpoint()).hasValue("GET /daily");
                    assertThat(e.httpStatus()).isEmpty();
                });
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void droppedConnectionIsRetriedThenNetworkException() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        }

        assertThatThrownBy(() -> api.execute(get("/prices")))
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("GET /prices");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void droppedConnectionThenSuccessIsRecoveredByTheHttpLayer() {
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(new MockResponse.Builder().body("[]").build());

        assertThat(api.execute(get("/prices"))).isEqualTo("[]");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void http503IsRetriedThenHttpStatusException() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "1")
                    .body("maintenance").build());
        }

        assertThatThrownBy(() -> api.execute(get("/daily")))
                .isInstanceOfSatisfying(HttpStatusException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.httpStatus()).hasValue(503);
                    assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(1));
                    assertThat(e.detail()).isEqualTo("maintenance");
                    assertThat(e.endpoint()).hasValue("GET /daily");
                    assertThat(e.isTransient()).isTrue();
                });
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void http500And408AreRetriedLike503() {
        server.enqueue(new MockResponse.Builder().code(500).build());
        server.enqueue(new MockResponse.Builder().code(408).build());
        server.enqueue(new MockResponse.Builder().body("{}").build());

        assertThat(api.execute(get("/daily"))).isEqualTo("{}");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void http404IsAnHttpStatusExceptionAndNotRetried() {
        server.enqueue(new MockResponse.Builder().code(404).body("{\"detail\":\"Not found.\"}").build());

        assertThatThrownBy(() -> api.execute(get("/daily/nope")))
                .isInstanceOfSatisfying(HttpStatusException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.isTransient()).isFalse();
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void http401IsAnAuthenticationExceptionAndNotRetried() {
        server.enqueue(new MockResponse.Builder().code(401).body("{\"detail\":\"Invalid token.\"}").build());

        assertThatThrownBy(() -> api.execute(get("/daily"))).isInstanceOf(AuthenticationException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void malformedJsonIsMalformedDataExceptionAndNotRetried() {
        server.enqueue(new MockResponse.Builder().body("{\"symbol\": \"AAPL\", ").build());

        assertThatThrownBy(() -> api.execute(get("/quote"), Json.moshi().adapter(ApiClientTest.Quote.class)))
                .isInstanceOfSatisfying(MalformedDataException.class,
                        e -> assertThat(e.endpoint()).hasValue("GET /quote"))
                .isNotInstanceOf(NetworkException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void untrustedCertificateIsItsOwnTypeAndNotRetried() {
        HeldCertificate selfSigned = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(selfSigned).build()
                .sslSocketFactory());
        server.enqueue(new MockResponse.Builder().body("{}").build());
        HttpUrl url = server.url("/iserver/accounts").newBuilder().host("localhost").build();

        assertThatThrownBy(() -> api.execute(new Request.Builder().url(url).build()))
                .isInstanceOfSatisfying(UntrustedCertificateException.class, e -> {
                    assertThat(e.host()).isEqualTo("localhost");
                    assertThat(e.port()).isEqualTo(server.getPort());
                    assertThat(e).isNotInstanceOf(NetworkException.class);
                });
        assertThat(sleeps).isEmpty();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void certificateFailureIsFoundInACauseChainByType() {
        IOException wrapped = new IOException("anything", new SSLHandshakeException("PKIX path building failed"));
        assertThat(UntrustedCertificateException.findCertificateFailure(wrapped).orElseThrow())
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(UntrustedCertificateException.findCertificateFailure(
                new RuntimeException(new CertificateException()))).isPresent();
        // A message that reads like one is not one.
        assertThat(UntrustedCertificateException.findCertificateFailure(
                new IOException("SSLHandshakeException: certificate not trusted"))).isEmpty();
    }

    @Test
    void fingerprintIsSha256InKeytoolsColonSeparatedHex() {
        HeldCertificate cert = new HeldCertificate.Builder().build();
        String fingerprint = UntrustedCertificateException.fingerprint(cert.certificate());

        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(new UntrustedCertificateException("ibkr", "localhost", 5000, fingerprint, null))
                .hasMessageContaining("localhost:5000").hasMessageContaining(fingerprint)
                .satisfies(e -> assertThat(e.sha256Fingerprint()).hasValue(fingerprint));
    }

    @Test
    void retryPolicyDecidesByTypeAndStatusOnly() {
        assertThat(THREE_ATTEMPTS.isTransient(NetworkException.of("s", "GET /a", new ConnectException()))).isTrue();
        assertThat(THREE_ATTEMPTS.isTransient(DataFetchException.httpStatus("s", "GET /a", 502, null))).isTrue();
        assertThat(THREE_ATTEMPTS.isTransient(DataFetchException.httpStatus("s", "GET /a", 429, null))).isTrue();
        assertThat(THREE_ATTEMPTS.isTransient(DataFetchException.httpStatus("s", "GET /a", 400, null))).isFalse();
        assertThat(THREE_ATTEMPTS.isTransient(new RateLimitException("s", "slow down",
                Optional.of(Duration.ofSeconds(2))))).isTrue();
        assertThat(THREE_ATTEMPTS.isTransient(new RateLimitException("s", "banned",
                Optional.of(Duration.ofHours(1))))).isFalse();
        assertThat(THREE_ATTEMPTS.isTransient(DataFetchException.malformed("s", "GET /a", "1", "price",
                "not a number", new IOException()))).isFalse();
        assertThat(THREE_ATTEMPTS.isTransient(new AuthenticationException("s", "refused"))).isFalse();
        assertThat(THREE_ATTEMPTS.isTransient(new ConfigurationException("s", "api_key: missing"))).isFalse();
        // The wording of a message decides nothing.
        assertThat(THREE_ATTEMPTS.isTransient(new DataFetchException("s", "GET /a", "network error: reset",
                new IOException()))).isFalse();
    }
}
