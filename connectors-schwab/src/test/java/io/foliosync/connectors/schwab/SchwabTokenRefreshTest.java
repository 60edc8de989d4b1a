package io.foliosync.connectors.schwab;

import static io.foliosync.connectors.schwab.SchwabTestKit.accountNumbersJson;
import static io.foliosync.connectors.schwab.SchwabTestKit.accountsJson;
import static io.foliosync.connectors.schwab.SchwabTestKit.builder;
import static io.foliosync.connectors.schwab.SchwabTestKit.json;
import static io.foliosync.connectors.schwab.SchwabTestKit.status;
import static io.foliosync.connectors.schwab.SchwabTestKit.storeTokens;
import static io.foliosync.connectors.schwab.SchwabTestKit.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchwabTokenRefreshTest {
    private static final Instant NOW = Instant.parse("2025-03-10T15:00:00Z");

    @TempDir
    Path dir;
    private Path tokenFile;
    private final MockWebServer server = new MockWebServer();
    private final SchwabTestKit.MutableClock clock = new SchwabTestKit.MutableClock(NOW);
    private final List<RecordedRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<String> bearerTokens = new CopyOnWriteArrayList<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private volatile MockResponse tokenResponse;
    private volatile boolean rejectOldToken;

    /** Records what the listener hears. */
    private static final class RecordingListener implements SchwabTokenListener {
        final List<Duration> warnings = new CopyOnWriteArrayList<>();
        final List<String> reauthorizations = new CopyOnWriteArrayList<>();

        @Override
        public void refreshTokenExpiringSoon(Instant expiresAt, Duration remaining) {
            warnings.add(remaining);
        }

        @Override
        public void reauthorizationRequired(String message) {
            reauthorizations.add(message);
        }
    }

    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void start() throws IOException {
        tokenFile = dir.resolve("tokens.enc");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/v1/oauth/token")) {
                    tokenRequests.add(request);
                    if (tokenResponse != null) {
                        return tokenResponse;
                    }
                    int n = refreshes.incrementAndGet();
                    // Slow enough that concurrent callers pile up behind the one refresh.
                    return json(tokenJson("access-r" + n, "refresh-1")).newBuilder()
                            .headersDelay(200, TimeUnit.MILLISECONDS).build();
                }
                String auth = request.getHeaders().get("Authorization");
                bearerTokens.add(auth);
                if (rejectOldToken && "Bearer access-0".equals(auth)) {
                    return status(401, "{\"message\":\"token invalid\"}");
                }
                return switch (path) {
                    case "/trader/v1/accounts/accountNumbers" -> json(accountNumbersJson());
                    case "/trader/v1/accounts" -> json(accountsJson());
                    default -> new MockResponse(404, Headers.of(), "");
                };
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SchwabConnector connector() {
        return builder(server, tokenFile, clock).listener(listener).build();
    }

    @Test
    void manyThreadsNeedingATokenAtOnceCauseExactlyOneRefresh() throws Exception {
        storeTokens(tokenFile, "access-0", NOW.plus(Duration.ofMinutes(20)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        SchwabConnector schwab = connector();
        assertThat(schwab.authenticate().success()).isTrue();
        assertThat(tokenRequests).isEmpty();

        clock.advance(Duration.ofMinutes(30)); // the access token has expired
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return schwab.getHoldings().size();
            }));
        }
        go.countDown();
        for (Future<Integer> f : results) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(11);
        }
        pool.shutdown();

        assertThat(tokenRequests).hasSize(1);
        assertThat(tokenRequests.get(0).getBody().utf8()).contains("grant_type=refresh_token")
                .contains("refresh_token=refresh-1");
        assertThat(bearerTokens).filteredOn(h -> h.equals("Bearer access-r1")).hasSize(threads);
    }

    @Test
    void accessTokenIsRefreshedAheadOfItsExpiry() {
        storeTokens(tokenFile, "access-0", NOW.plus(Duration.ofMinutes(4)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        SchwabConnector schwab = connector();
        assertThat(schwab.authenticate().success()).isTrue();
        assertThat(tokenRequests).hasSize(1);
        assertThat(bearerTokens).containsExactly("Bearer access-r1");
        // The refreshed token is stored: a restart does not refresh again.
        assertThat(connector().authenticate().success()).isTrue();
        assertThat(tokenRequests).hasSize(1);
    }

    /**
     * Issue 23 case 13: a 2-minute access token (shorter than the old fixed 5-minute margin) is refreshed a tenth of
     * its lifetime ahead, not on every call.
     */
    @Test
    void shortLivedAccessTokenIsRefreshedInProportionNotOnEveryCall() {
        tokenResponse = json("{\"expires_in\":120,\"token_type\":\"Bearer\",\"refresh_token\":\"refresh-1\","
                + "\"access_token\":\"access-short\"}");
        storeTokens(tokenFile, "access-0", NOW.minus(Duration.ofMinutes(1)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        SchwabConnector schwab = connector();
        assertThat(schwab.authenticate().success()).isTrue();
        assertThat(tokenRequests).hasSize(1);

        schwab.getAccounts();
        clock.advance(Duration.ofSeconds(100));
        schwab.getHoldings();
        assertThat(tokenRequests).as("20 s left of 120 s: more than a tenth").hasSize(1);

        clock.advance(Duration.ofSeconds(10));
        schwab.getHoldings();
        assertThat(tokenRequests).as("10 s left: within a tenth of the lifetime").hasSize(2);
    }

    @Test
    void expiredRefreshTokenFailsWithReauthorizeAndHowWithoutCallingSchwab() {
        storeTokens(tokenFile, "access-0", NOW.minus(Duration.ofHours(2)), "refresh-1",
                NOW.minus(Duration.ofDays(7)).minus(Duration.ofHours(1)));
        SchwabConnector schwab = connector();
        AuthenticationResult result = schwab.authenticate();
        assertThat(result.success()).isFalse();
        assertThat(result.message()).contains("re-authorize").contains("schwab login");
        assertThat(tokenRequests).isEmpty();
        assertThat(server.getRequestCount()).isZero();
        assertThat(listener.reauthorizations).hasSize(1);
    }

    @Test
    void refreshTokenExpiringDuringASessionGivesTheReauthorizeErrorNotA401() {
        storeTokens(tokenFile, "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(10)));
        SchwabConnector schwab = connector();
        assertThat(schwab.authenticate().success()).isTrue();
        clock.advance(Duration.ofMinutes(30));
        assertThatThrownBy(schwab::getHoldings).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("re-authorize").hasMessageContaining("7 days")
                .hasMessageNotContaining("HTTP 401");
        assertThat(tokenRequests).isEmpty();
    }

    @Test
    void refreshRefusedBySchwabSaysReauthorize() {
        tokenResponse = status(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token expired\"}");
        storeTokens(tokenFile, "access-0", NOW.minus(Duration.ofMinutes(1)), "refresh-1",
                NOW.minus(Duration.ofDays(2)));
        AuthenticationResult result = connector().authenticate();
        assertThat(result.success()).isFalse();
        assertThat(result.message()).contains("re-authorize");
        assertThat(tokenRequests).as("a refresh is never retried").hasSize(1);
        assertThat(listener.reauthorizations).hasSize(1);
    }

    @Test
    void warnsOnceThroughListenerAndLogWhenUnder24HoursRemain() {
        storeTokens(tokenFile, "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(6)).minus(Duration.ofHours(1)));
        try (LogCapture log = LogCapture.of("io.foliosync.connectors.schwab")) {
            SchwabConnector schwab = connector();
            assertThat(schwab.authenticate().success()).isTrue();
            schwab.getHoldings();
            assertThat(listener.warnings).containsExactly(Duration.ofHours(23));
            assertThat(log.messages()).filteredOn(m -> m.contains("authorization expires at")).hasSize(1)
                    .allMatch(m -> m.contains("re-authorize"));
        }
    }

    @Test
    void noWarningWhileMoreThan24HoursRemain() {
        storeTokens(tokenFile, "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(5)));
        assertThat(connector().authenticate().success()).isTrue();
        assertThat(listener.warnings).isEmpty();
    }

    @Test
    void apiRejectingTheTokenTriggersOneRefreshAndARetry() {
        rejectOldToken = true;
        storeTokens(tokenFile, "access-0", NOW.plus(Duration.ofMinutes(25)), "refresh-1",
                NOW.minus(Duration.ofDays(1)));
        AuthenticationResult result = connector().authenticate();
        assertThat(result.success()).as(result.message()).isTrue();
        assertThat(tokenRequests).hasSize(1);
        assertThat(bearerTokens).containsExactly("Bearer access-0", "Bearer access-r1");
    }

    @Test
    void notAuthorizedYetSaysHowToAuthorize() {
        AuthenticationResult result = connector().authenticate();
        assertThat(result.success()).isFalse();
        assertThat(result.message()).contains("not authorized yet").contains("schwab login");
        assertThat(server.getRequestCount()).isZero();
    }
}
