package io.foliosync.connectors.schwab;

import static io.foliosync.connectors.schwab.SchwabTestKit.CLIENT_ID;
import static io.foliosync.connectors.schwab.SchwabTestKit.CLIENT_SECRET;
import static io.foliosync.connectors.schwab.SchwabTestKit.accountNumbersJson;
import static io.foliosync.connectors.schwab.SchwabTestKit.builder;
import static io.foliosync.connectors.schwab.SchwabTestKit.json;
import static io.foliosync.connectors.schwab.SchwabTestKit.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.ConfigurationException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchwabOAuthFlowTest {
    /** Schwab's codes end in an encoded '@'; the exchange must send the decoded code. */
    private static final String CODE = "C0.b2F1dGgyLmNkYy5zY2h3YWIuY29t.sample-code@";

    @TempDir
    Path dir;
    private final MockWebServer server = new MockWebServer();
    private final List<RecordedRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final SchwabTestKit.MutableClock clock =
            new SchwabTestKit.MutableClock(Instant.parse("2025-03-03T14:00:00Z"));
    private String redirectUri;

    @BeforeEach
    void start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redirectUri = "http://127.0.0.1:" + port + "/auth/schwab/callback";
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                switch (path) {
                    case "/v1/oauth/authorize": {
                        // Schwab's login page: after the user consents it redirects with the code and the state.
                        HttpUrl callback = HttpUrl.get(request.getUrl().queryParameter("redirect_uri")).newBuilder()
                                .addQueryParameter("code", CODE)
                                .addQueryParameter("session", "abc")
                                .addQueryParameter("state", request.getUrl().queryParameter("state"))
                                .build();
                        return new MockResponse(302, Headers.of("Location", callback.toString()), "");
                    }
                    case "/v1/oauth/token":
                        tokenRequests.add(request);
                        return json(tokenJson("access-1", "refresh-1"));
                    case "/trader/v1/accounts/accountNumbers":
                        return json(accountNumbersJson());
                    default:
                        return new MockResponse(404, Headers.of(), "");
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SchwabConnector connector() {
        return builder(server, dir.resolve("schwab/tokens.enc"), clock).redirectUri(redirectUri).build();
    }

    @Test
    void fullCodeFlowThroughTheLoopbackListenerStoresTokensThatSurviveARestart() throws IOException {
        SchwabConnector schwab = connector();
        OkHttpClient browser = new OkHttpClient.Builder().followRedirects(true).build();
        String[] page = new String[1];

        schwab.authorizeInteractively(url -> {
            try (Response r = browser.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
                page[0] = r.code() + " " + r.body().string();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, Duration.ofSeconds(30));

        assertThat(page[0]).startsWith("200").contains("FolioSync is authorized");
        assertThat(tokenRequests).hasSize(1);
        RecordedRequest exchange = tokenRequests.get(0);
        assertThat(exchange.getMethod()).isEqualTo("POST");
        assertThat(exchange.getHeaders().get("Authorization"))
                .isEqualTo(Credentials.basic(CLIENT_ID, CLIENT_SECRET, StandardCharsets.UTF_8));
        String form = exchange.getBody().utf8();
        assertThat(form).contains("grant_type=authorization_code")
                .contains("code=" + CODE.replace("@", "%40"))
                .contains("redirect_uri=" + redirectUri.replace(":", "%3A").replace("/", "%2F"));

        Path tokenFile = dir.resolve("schwab/tokens.enc");
        String stored = Files.readString(tokenFile);
        assertThat(stored).startsWith("fs1:").doesNotContain("access-1").doesNotContain("refresh-1");
        assertThat(schwab.authorizationExpiresAt()).contains(clock.instant().plus(Duration.ofDays(7)));

        // A new process: a new connector reads the stored tokens and calls the API with them.
        SchwabConnector restarted = connector();
        AuthenticationResult result = restarted.authenticate();
        assertThat(result.success()).as(result.message()).isTrue();
        assertThat(result.message()).contains("****1111").doesNotContain(SchwabTestKit.PLAIN_NUMBER);
        assertThat(tokenRequests).hasSize(1);
    }

    @Test
    void authorizationUrlCarriesClientIdRedirectAndRandomState() {
        SchwabConnector schwab = connector();
        HttpUrl first = HttpUrl.get(schwab.authorizationUrl());
        HttpUrl second = HttpUrl.get(schwab.authorizationUrl());
        assertThat(first.encodedPath()).isEqualTo("/v1/oauth/authorize");
        assertThat(first.queryParameter("client_id")).isEqualTo(CLIENT_ID);
        assertThat(first.queryParameter("response_type")).isEqualTo("code");
        assertThat(first.queryParameter("redirect_uri")).isEqualTo(redirectUri);
        assertThat(first.queryParameter("state")).hasSizeGreaterThanOrEqualTo(32)
                .isNotEqualTo(second.queryParameter("state"));
    }

    @Test
    void callbackWithAForeignStateIsRefusedAsCsrfAndNothingIsExchanged() {
        SchwabConnector schwab = connector();
        schwab.authorizationUrl();
        assertThatThrownBy(() -> schwab.completeAuthorization(redirectUri + "?code=x&state=forged"))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("CSRF");
        assertThat(tokenRequests).isEmpty();
    }

    @Test
    void callbackWithoutAnAuthorizationRequestIsRefused() {
        assertThatThrownBy(() -> connector().completeAuthorization(redirectUri + "?code=x&state=anything"))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("state does not match");
        assertThat(tokenRequests).isEmpty();
    }

    @Test
    void stateIsSingleUse() {
        SchwabConnector schwab = connector();
        String state = HttpUrl.get(schwab.authorizationUrl()).queryParameter("state");
        schwab.completeAuthorization(redirectUri + "?code=abc&state=" + state);
        assertThatThrownBy(() -> schwab.completeAuthorization(redirectUri + "?code=abc&state=" + state))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("CSRF");
        assertThat(tokenRequests).hasSize(1);
    }

    @Test
    void loopbackListenerAnswersTheBrowserWithAFailurePageForAForgedState() throws Exception {
        SchwabConnector schwab = connector();
        OkHttpClient browser = new OkHttpClient();
        assertThatThrownBy(() -> schwab.authorizeInteractively(url -> {
            try (Response r = browser.newCall(new Request.Builder()
                    .url(redirectUri + "?code=x&state=forged").build()).execute()) {
                assertThat(r.code()).isEqualTo(400);
                assertThat(r.body().string()).contains("Authorization failed").contains("CSRF");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, Duration.ofSeconds(30))).isInstanceOf(AuthenticationException.class).hasMessageContaining("CSRF");
        assertThat(tokenRequests).isEmpty();
        // The listener is gone once the authorization ended.
        assertThatThrownBy(() -> browser.newCall(new Request.Builder().url(redirectUri).build()).execute())
                .isInstanceOf(IOException.class);
    }

    @Test
    void schwabErrorInTheCallbackIsReported() {
        SchwabConnector schwab = connector();
        schwab.authorizationUrl();
        assertThatThrownBy(() -> schwab.completeAuthorization(redirectUri + "?error=access_denied"))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("access_denied");
    }

    @Test
    void refusedCodeSaysToAuthorizeAgain() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return SchwabTestKit.status(400, "{\"error\":\"invalid_grant\"}");
            }
        });
        SchwabConnector schwab = connector();
        String state = HttpUrl.get(schwab.authorizationUrl()).queryParameter("state");
        assertThatThrownBy(() -> schwab.completeAuthorization(redirectUri + "?code=stale&state=" + state))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("authorize again");
        assertThat(server.getRequestCount()).as("a one-time code exchange is never retried").isEqualTo(1);
    }

    @Test
    void remoteHttpCallbackIsRejectedAtBuildTime() {
        assertThatThrownBy(() -> builder(server, dir.resolve("t.enc"), clock)
                .redirectUri("http://example.com/callback").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("https");
    }

    @Test
    void httpsCallbackCannotUseTheLoopbackListener() {
        SchwabConnector schwab = builder(server, dir.resolve("t.enc"), clock)
                .redirectUri("https://127.0.0.1:8182/callback").build();
        assertThatThrownBy(() -> schwab.authorizeInteractively(url -> { }, Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("completeAuthorization");
        assertThat(URI.create(schwab.authorizationUrl().toString()).getQuery()).contains("https://127.0.0.1:8182");
    }
}
