package io.foliosync.connectors.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.RateLimitException;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** A clock that only moves when the limiter parks: tests run in no time and never flake. */
    static final class FakeTime implements TimeMeter, BlockingStrategy {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        @Override
        public void park(long nanosToPark) {
            nanos.addAndGet(nanosToPark);
        }
    }

    @Test
    void neverExceedsTheLimitInAnyWindowOnAFakeClock() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = RateLimiter.of("kraken", Duration.ofMinutes(5),
                List.of(RateLimit.perMinute(60), RateLimit.perSecond(3)), time, time);

        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            limiter.acquire();
            grants.add(time.currentTimeNanos());
            time.nanos.addAndGet(7_000_000); // the caller works 7 ms between calls
        }

        assertThat(maxInAnyWindow(grants, Duration.ofMinutes(1))).isLessThanOrEqualTo(60);
        assertThat(maxInAnyWindow(grants, Duration.ofSeconds(1))).isLessThanOrEqualTo(3);
        // ...and it does not throttle far below the limit: 500 calls at 54/min take under 10 minutes.
        assertThat(Duration.ofNanos(grants.get(grants.size() - 1))).isLessThan(Duration.ofMinutes(10));
    }

    @Test
    void bucketLimitAllowsItsBurstThenItsRefillRate() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = RateLimiter.of("kraken", Duration.ofMinutes(5),
                List.of(RateLimit.bucket(15, 1, Duration.ofSeconds(3))), time, time);
        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            limiter.acquire();
            grants.add(time.currentTimeNanos());
        }
        assertThat(grants.subList(0, 15)).allMatch(t -> t == 0L);
        // After the burst, one call every 3 s: the 45th call comes 30 refills later.
        assertThat(Duration.ofNanos(grants.get(44))).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> RateLimit.bucket(0, 1, Duration.ofSeconds(1))).hasMessageContaining("burst");
    }

    @Test
    void singlePermitLimitIsHeld() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = RateLimiter.of("av", Duration.ofMinutes(5), List.of(RateLimit.perSecond(1)), time, time);
        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            limiter.acquire();
            grants.add(time.currentTimeNanos());
        }
        assertThat(maxInAnyWindow(grants, Duration.ofMillis(999))).isEqualTo(1);
    }

    @Test
    void acquireGivesUpWhenTheWaitExceedsItsBound() {
        FakeTime time = new FakeTime();
        RateLimiter limiter = RateLimiter.of("alphavantage", Duration.ofSeconds(1),
                List.of(RateLimit.perMinute(5)), time, time);
        assertThat(limiter.tryAcquire()).isTrue(); // the burst of a 5/min limit is one call
        assertThatThrownBy(limiter::acquire)
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.retryAfter()).isPresent();
                    assertThat(e.retryAfter().get()).isGreaterThan(Duration.ofSeconds(1));
                })
                .hasMessageContaining("alphavantage");
    }

    @Test
    void registrySharesOneLimiterPerProviderAndKey() {
        RateLimiterRegistry registry = RateLimiterRegistry.isolated();
        RateLimiter a = registry.limiterFor("binance", "key-1",
                () -> RateLimiter.of("binance", Duration.ZERO, RateLimit.perMinute(10)));
        RateLimiter b = registry.limiterFor("binance", "key-1",
                () -> RateLimiter.of("binance", Duration.ZERO, RateLimit.perMinute(10)));
        RateLimiter c = registry.limiterFor("binance", "key-2",
                () -> RateLimiter.of("binance", Duration.ZERO, RateLimit.perMinute(10)));
        assertThat(a).isSameAs(b).isNotSameAs(c);
    }

    @Test
    void serverCountingRequestsSeesNoBurstOverTheLimit() throws Exception {
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    arrivals.add(System.nanoTime());
                    return new MockResponse.Builder().body("ok").build();
                }
            });
            server.start();
            Duration window = Duration.ofMillis(400);
            RateLimiter limiter = RateLimiter.of("counted", Duration.ofSeconds(10), new RateLimit(10, window));
            OkHttpClient http = HttpClients.builder("counted").rateLimiter(limiter).build();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 10; i++) {
                        try (Response r = http.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
                            assertThat(r.code()).isEqualTo(200);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(arrivals).hasSize(30);
            // The limiter spaces grants a full window apart; transit from a loaded client thread to the server can
            // delay one arrival by some milliseconds and not the next, so the server's windows are trimmed by 50 ms.
            // Without the limiter all 30 arrive within a few milliseconds, far inside any trimmed window.
            assertThat(maxInAnyWindow(arrivals, window.minusMillis(50))).isLessThanOrEqualTo(10);
        }
    }

    static int maxInAnyWindow(List<Long> nanos, Duration window) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int max = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (sorted.get(end) - sorted.get(start) >= window.toNanos()) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }
}
