package io.foliosync.connectors.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.foliosync.connectors.api.DeadlineExceededException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 23 case 10: a server that sends one byte a second never trips a read timeout. A call's total deadline
 * and the sync's overall deadline both stop it, with a typed error naming source and endpoint, and neither is
 * retried (retrying is how four five-minute calls held one sync for twenty minutes).
 */
class DeadlineTest {
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

    private static MockResponse trickle() {
        return new MockResponse.Builder().body("x".repeat(600)).throttleBody(1, 1, TimeUnit.SECONDS).build();
    }

    @Test
    void aTricklingAnswerFailsAtTheCallsDeadlineAndIsNotRetried() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(trickle());
        }
        ApiClient api = ApiClient.of("slowbank", HttpClients.builder("slowbank").callTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5)).sleeper(sleeps::add).build());
        long t0 = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> api.execute(new Request.Builder().url(server.url("/ledger")).build()))
                        .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
                            assertThat(e.source()).hasValue("slowbank");
                            assertThat(e.wholeSync()).isFalse();
                            assertThat(e).hasMessageContaining("GET /ledger").hasMessageContaining("PT2S");
                        }));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void theSyncDeadlineCancelsARunningCallAndRefusesTheNext() {
        server.enqueue(trickle());
        server.enqueue(new MockResponse.Builder().body("never").build());
        ApiClient api = ApiClient.of("slowbank", HttpClients.builder("slowbank").sleeper(sleeps::add).build());
        // the deadline belongs to the thread running the sync: everything runs on the one the timeout guard starts
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (SyncDeadline d = SyncDeadline.open("slowbank", Duration.ofSeconds(2))) {
                assertThatThrownBy(() -> api.execute(new Request.Builder().url(server.url("/ledger")).build()))
                        .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
                            assertThat(e.wholeSync()).isTrue();
                            assertThat(e).hasMessageContaining("slowbank").hasMessageContaining("GET /ledger")
                                    .hasMessageContaining("global.sync_deadline");
                        });
                assertThat(d.expired()).isTrue();
                assertThatThrownBy(() -> api.execute(new Request.Builder().url(server.url("/next")).build()))
                        .isInstanceOf(DeadlineExceededException.class).hasMessageContaining("GET /next");
            }
            assertThat(SyncDeadline.current()).isEmpty();
        });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
