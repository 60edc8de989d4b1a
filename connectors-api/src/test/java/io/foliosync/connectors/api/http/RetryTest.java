package io.foliosync.connectors.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.RateLimitException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.FormBody;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryTest {
    private MockWebServer server;
    private final List<Duration> sleeps = new ArrayList<>();
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        api = client(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(40)).maxRetryAfter(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiClient client(RetryPolicy policy) {
        // The sleeper records the waits instead of sleeping: the server is real, the clock need not be.
        return ApiClient.of("test", HttpClients.builder("test").retryPolicy(policy)
                .sleeper(sleeps::add).random(new Random(42)).build());
    }

    @Test
    void http429ThenSuccessHonoursRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2").build());
        server.enqueue(new MockResponse.Builder().body("{\"ok\":true}").build());

        String body = api.execute(new Request.Builder().url(server.url("/quote")).build());

        assertThat(body).isEqualTo("{\"ok\":true}");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void http503ThriceGivesUpWithTheLastError() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(503).body("maintenance " + i).build());
        }

        assertThatThrownBy(() -> api.execute(new Request.Builder().url(server.url("/balance")).build()))
                .isInstanceOf(HttpStatusException.class)
                .hasMessageContaining("GET /balance")
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("maintenance 2")
                .satisfies(e -> assertThat(((DataFetchException) e).httpStatus()).hasValue(503));
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(sleeps).hasSize(2);
        // Exponential: the second wait is longer than the first (jitter cuts at most 20 %).
        assertThat(sleeps.get(1)).isGreaterThan(sleeps.get(0));
        assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(40)));
    }

    @Test
    void postIsNotRetriedUnlessMarkedAsARead() {
        server.enqueue(new MockResponse.Builder().code(503).build());
        Request order = new Request.Builder().url(server.url("/order"))
                .post(new FormBody.Builder().add("side", "buy").build()).build();

        assertThatThrownBy(() -> api.execute(order)).isInstanceOf(DataFetchException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void postMarkedSafeReadIsRetried() {
        server.enqueue(new MockResponse.Builder().code(502).build());
        server.enqueue(new MockResponse.Builder().body("[]").build());
        Request read = RequestSafety.SAFE_READ.tag(new Request.Builder().url(server.url("/0/private/Ledgers"))
                .post(new FormBody.Builder().add("ofs", "0").build()).build());

        assertThat(api.execute(read)).isEqualTo("[]");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void requestMarkedNeverRetryIsSentOnceEvenAsGet() {
        server.enqueue(new MockResponse.Builder().code(503).build());
        Request tokenExchange = RequestSafety.NEVER_RETRY.tag(new Request.Builder().url(server.url("/token")).build());

        assertThatThrownBy(() -> api.execute(tokenExchange)).isInstanceOf(DataFetchException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void retryAfterBeyondTheCapGivesUpAtOnceCarryingTheWait() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "600").build());

        assertThatThrownBy(() -> api.execute(new Request.Builder().url(server.url("/trades")).build()))
                .isInstanceOfSatisfying(RateLimitException.class,
                        e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(600)));
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void networkFailureIsRetriedAndNeverDisguisedAsDataError() {
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(new MockResponse.Builder().body("ok").build());

        assertThat(api.execute(new Request.Builder().url(server.url("/time")).build())).isEqualTo("ok");
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void persistentNetworkFailureBecomesANetworkError() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        }

        assertThatThrownBy(() -> api.execute(new Request.Builder().url(server.url("/time")).build()))
                .isInstanceOfSatisfying(NetworkException.class, e -> {
                    assertThat(e).hasMessageContaining("GET /time");
                    assertThat(e.httpStatus()).isEmpty();
                    assertThat(e.field()).isEmpty();
                });
    }

    @Test
    void retryPolicyRejectsInvalidSettingsWhenBuilt() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
                .hasMessage("maxAttempts must be at least 1 but was 0");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5).build())
                .hasMessage("jitter must be between 0 and 1 but was 1.5");
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(10))
                .maxBackoff(Duration.ofSeconds(1)).build())
                .hasMessageContaining("must not be shorter than initialBackoff");
    }

    @Test
    void userAgentNamesFolioSyncAndItsVersion() throws Exception {
        server.enqueue(new MockResponse.Builder().body("ok").build());
        api.execute(new Request.Builder().url(server.url("/")).build());
        assertThat(server.takeRequest().getHeaders().get("User-Agent")).matches("FolioSync/\\d+\\.\\d+\\.\\d+.*");
    }
}
