package io.foliosync.connectors.schwab;

import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.http.RetryPolicy;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.schwab.internal.StoredTokens;
import io.foliosync.connectors.schwab.internal.TokenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Headers;

/** Shared fixtures for the Schwab tests: a settable clock, a cipher, canned responses, a connector builder. */
final class SchwabTestKit {
    static final String CLIENT_ID = "test-app-key";
    static final String CLIENT_SECRET = "test-app-secret";
    static final String HASH = "HASH0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789AB";
    static final String PLAIN_NUMBER = "11111111";

    private SchwabTestKit() {
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        void set(Instant i) {
            now.set(i);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    static final SecretCipher CIPHER = SecretCipher.of(MasterKey.generate());

    /** Records the waits a retry asks for instead of sleeping. */
    static final List<Duration> WAITS = new CopyOnWriteArrayList<>();

    static SchwabConnector.Builder builder(MockWebServer server, Path tokenFile, Clock clock) {
        return SchwabConnector.builder(new io.foliosync.connectors.api.config.ConnectorContext(clock,
                        tokenFile.getParent(), CIPHER, RateLimiterRegistry.isolated()))
                .clientId(CLIENT_ID).clientSecret(Secret.of(CLIENT_SECRET))
                .baseUrl(server.url("/").toString())
                .tokenStore(tokenFile)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
                .sleeper(WAITS::add);
    }

    static void storeTokens(Path tokenFile, String access, Instant accessExpiresAt, String refresh,
                            Instant authorizedAt) {
        new TokenStore(tokenFile, CIPHER).save(new StoredTokens(access, accessExpiresAt, refresh, authorizedAt));
    }

    static MockResponse json(String body) {
        return new MockResponse(200, Headers.of("Content-Type", "application/json"), body);
    }

    static MockResponse status(int code, String body) {
        return new MockResponse(code, Headers.of("Content-Type", "application/json"), body);
    }

    static String tokenJson(String access, String refresh) {
        return "{\"expires_in\":1800,\"token_type\":\"Bearer\",\"scope\":\"api\",\"refresh_token\":\"" + refresh
                + "\",\"access_token\":\"" + access + "\",\"id_token\":\"idtok\"}";
    }

    static String accountNumbersJson() {
        return "[{\"accountNumber\":\"" + PLAIN_NUMBER + "\",\"hashValue\":\"" + HASH + "\"}]";
    }

    static String resource(String path) {
        try (var in = SchwabTestKit.class.getResourceAsStream("/schwab/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The single-account fixture wrapped in the array that {@code /accounts?fields=positions} returns. */
    static String accountsJson() {
        return "[" + resource("api/trader-v1-account-with-positions.json") + "]";
    }
}
