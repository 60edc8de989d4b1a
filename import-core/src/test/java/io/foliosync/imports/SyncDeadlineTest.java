package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.HttpClients;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.store.PortfolioStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 case 10: a server that sends one byte a second held one sync for 20 minutes (four job attempts, each
 * under a five-minute call timeout). The sync's overall deadline ({@code global.sync_deadline}) spans every
 * attempt, cancels the stalled call, fails the job with a typed deadline error naming the source, and leaves the
 * cursor where it was.
 */
class SyncDeadlineTest {
    @TempDir
    Path dir;
    private final TestStores open = new TestStores();
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        open.close();
    }

    @Test
    void aTricklingServerCostsAtMostTheSyncDeadlineAndTheCursorStays() {
        // 600 bytes at one a second: ten minutes, and no read timeout ever trips
        server.enqueue(new MockResponse.Builder().body("x".repeat(600)).throttleBody(1, 1, TimeUnit.SECONDS).build());
        ApiClient api = ApiClient.of("trickler", HttpClients.builder("trickler").build());
        FakeConnector trickler = new FakeConnector("trickler");
        trickler.transactions = List.of(Tx.dividend("trickler", 1), Tx.dividend("trickler", 2),
                Tx.dividend("trickler", 3), Tx.dividend("trickler", 4), Tx.dividend("trickler", 5));
        trickler.failOnPage = page -> {
            if (page == 2) {
                api.execute(new Request.Builder().url(server.url("/ledger?page=2")).build());
            }
            return null;
        };
        PortfolioStore store = open.store(TestDatabases.settings(Backend.SQLITE, dir));
        ImportOrchestrator o = ImportOrchestrator.builder(store)
                .syncDeadline(Duration.ofSeconds(2)).addConnector("fake", trickler).build();
        open.add(o);

        long t0 = System.nanoTime();
        JobResult result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> o.sync("trickler"));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.attempts()).as("a deadline is not retried").isEqualTo(1);
        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("trickler")
                .contains("GET /ledger").contains("global.sync_deadline"));
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(store.cursor("trickler")).as("the cursor never moves past data not read").isEmpty();
    }
}
