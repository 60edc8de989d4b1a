package io.foliosync.connectors.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.NetworkException;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.BlockingStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.FormBody;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 23 case 11: a server that closes its connection after each answer without saying so. The next request
 * finds its pooled connection dead; it is sent again at once on a fresh one, not backed off, and not charged to
 * the rate limit a second time.
 */
class StaleConnectionTest {
    private final MockWebServer server = new MockWebServer();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Answers, then closes the socket without a {@code Connection: close} header: the client pools it. */
    private static MockResponse answerThenHangUp(String body) {
        return new MockResponse.Builder().body(body).onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build();
    }

    /** A limiter with exactly {@code permits} permits that never refill and never wait. */
    private static RateLimiter exactly(int permits) {
        return RateLimiter.of("test", Duration.ofMillis(1), List.of(RateLimit.bucket(permits, 1, Duration.ofDays(1))),
                TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    private ApiClient client(RetryPolicy policy, RateLimiter limiter) {
        return ApiClient.of("test", HttpClients.builder("test").retryPolicy(policy).rateLimiter(limiter)
                .sleeper(sleeps::add).random(new Random(7)).build());
    }

    @Test
    void aRequestOnAConnectionTheServerClosedIsResentAtOnceAndUncharged() {
        int calls = 5;
        for (int i = 0; i < calls; i++) {
            server.enqueue(answerThenHangUp("ok " + i));
        }
        ApiClient api = client(RetryPolicy.defaults(), exactly(calls));
        for (int i = 0; i < calls; i++) {
            assertThat(api.execute(new Request.Builder().url(server.url("/time")).build())).isEqualTo("ok " + i);
        }
        assertThat(sleeps).as("no backoff: the pool's failure, not the server's").isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(calls);
    }

    @Test
    void underRetryPolicyNoneTheStaleConnectionIsStillResent() {
        // the crypto module's client: it retries whole calls itself and must not pay for the pool's failure
        server.enqueue(answerThenHangUp("first"));
        server.enqueue(answerThenHangUp("second"));
        ApiClient api = client(RetryPolicy.none(), exactly(2));
        assertThat(api.execute(new Request.Builder().url(server.url("/a")).build())).isEqualTo("first");
        assertThat(api.execute(new Request.Builder().url(server.url("/b")).build())).isEqualTo("second");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aRequestThatMustNotBeSentTwiceIsNotResent() {
        server.enqueue(answerThenHangUp("first"));
        server.enqueue(answerThenHangUp("never"));
        ApiClient api = client(RetryPolicy.defaults(), exactly(10));
        assertThat(api.execute(new Request.Builder().url(server.url("/a")).build())).isEqualTo("first");
        Request order = new Request.Builder().url(server.url("/order"))
                .post(new FormBody.Builder().add("qty", "1").build()).build();
        assertThatThrownBy(() -> api.execute(order)).isInstanceOf(NetworkException.class)
                .hasMessageContaining("POST /order");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aFreshConnectionDroppedBeforeAnAnswerIsStillBackedOff() {
        // not staleness: the connection was new, so the server itself failed; the policy's backoff applies
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(new MockResponse.Builder().body("ok").build());
        ApiClient api = client(RetryPolicy.defaults(), exactly(10));
        assertThat(api.execute(new Request.Builder().url(server.url("/time")).build())).isEqualTo("ok");
        assertThat(sleeps).hasSize(1);
    }
}
