package io.foliosync.imports.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.store.JdbcPortfolioStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three FolioSync instances, each a JVM of its own ({@link SharedLimitMain}), on one PostgreSQL database with
 * shared rate limits, call a loopback stand-in that notes when each request arrives. A market-data key's limit is
 * one budget for all three; an exchange key's limit stays in each process. Skipped where PostgreSQL is unreachable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedRateLimitsTest {
    private static final int INSTANCES = 3;
    private static final int CALLS_EACH = 4;
    private static final int PERMITS = 5;
    private static final long PERIOD_MS = 2000;
    /**
     * Requests are counted where they arrive, after the client took its permit: waking from the wait, scheduling on
     * a loaded machine and the loopback hop can move two arrivals closer together than their permits were (by up
     * to ~100 ms seen on a 2-core machine at load 11), so windows are this much shorter than the period.
     */
    private static final long ARRIVAL_JITTER_MS = 250;

    private DatabaseSettings db;
    private MockWebServer server;
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();

    private record Arrival(String kind, long nanos) {
    }

    /** Three instances: one round of calls on the market-data key's limit, then one on the exchange key's. */
    @BeforeAll
    void runThreeInstances(@TempDir Path dir) throws Exception {
        db = TestDatabases.settings(TestDatabases.Backend.POSTGRES, dir);
        JdbcPortfolioStore.open(db).close(); // migrated once, before the instances validate it concurrently
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                arrivals.add(new Arrival(request.getUrl().pathSegments().get(0), System.nanoTime()));
                return new MockResponse.Builder().code(200).body("{}").build();
            }
        });
        server.start();
        List<Process> children = new ArrayList<>();
        try {
            List<BufferedReader> outputs = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), SharedLimitMain.class.getName(),
                        TestDatabases.PG_URL, db.schema().orElseThrow(), server.url("/").toString()
                                .replaceAll("/$", ""), Integer.toString(CALLS_EACH), Integer.toString(PERMITS),
                        Long.toString(PERIOD_MS), Integer.toString(i));
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                children.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            awaitLine(outputs, "READY");
            for (String round : List.of("shared", "per-key", "EXIT")) {
                for (Process p : children) { // all three start the round at once
                    Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                    w.write(round + "\n");
                    w.flush();
                }
                if (!round.equals("EXIT")) {
                    awaitLine(outputs, "DONE");
                }
            }
            for (Process p : children) {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("instance finished").isTrue();
                assertThat(p.exitValue()).as("instance exit code").isZero();
            }
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    private static void awaitLine(List<BufferedReader> outputs, String expected) throws Exception {
        for (BufferedReader out : outputs) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals(expected));
            assertThat(line).as("an instance said " + expected).isEqualTo(expected);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            TestDatabases.drop(db);
        }
    }

    @Test
    void marketDataKeyLimitHoldsAcrossThreeInstancesSharingThePostgresBucket() {
        List<Long> times = times("shared");
        assertThat(times).hasSize(INSTANCES * CALLS_EACH);
        assertThat(maxInWindow(times, PERIOD_MS - ARRIVAL_JITTER_MS))
                .as("requests of all three instances in any window of ~%d ms; arrivals (ms): %s", PERIOD_MS,
                        offsetsMs(times))
                .isLessThanOrEqualTo(PERMITS);
        // 12 calls at 5 per period span at least two periods: the instances waited for each other
        assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(times.size() - 1) - times.get(0)))
                .isGreaterThanOrEqualTo((INSTANCES * CALLS_EACH - 1) / PERMITS * PERIOD_MS - ARRIVAL_JITTER_MS);
    }

    @Test
    void exchangeKeyLimitStaysWithEachInstance() {
        List<Long> times = times("per-key");
        assertThat(times).hasSize(INSTANCES * CALLS_EACH);
        // each instance holds its own 5 per period, so together they exceed it: nothing is counted in the database
        assertThat(maxInWindow(times, PERIOD_MS - ARRIVAL_JITTER_MS)).isGreaterThan(PERMITS);
    }

    private List<Long> times(String kind) {
        return arrivals.stream().filter(a -> a.kind().equals(kind)).map(Arrival::nanos).sorted().toList();
    }

    private static List<Long> offsetsMs(List<Long> sortedNanos) {
        return sortedNanos.stream().map(t -> TimeUnit.NANOSECONDS.toMillis(t - sortedNanos.get(0))).toList();
    }

    /** @return the most arrivals within any window of {@code windowMs} (both ends included) */
    private static int maxInWindow(List<Long> sortedNanos, long windowMs) {
        long window = TimeUnit.MILLISECONDS.toNanos(windowMs);
        int max = 0;
        int from = 0;
        for (int to = 0; to < sortedNanos.size(); to++) {
            while (sortedNanos.get(to) - sortedNanos.get(from) > window) {
                from++;
            }
            max = Math.max(max, to - from + 1);
        }
        return max;
    }
}
