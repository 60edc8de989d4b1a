package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.FolioSyncVersion;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import okhttp3.OkHttpClient;
import org.apiguardian.api.API;

/**
 * Builds the OkHttp client every HTTP connector uses: timeouts (a call's total deadline, 5 minutes by default,
 * bounds connecting, every retry and the whole body, so a server trickling a byte a second cannot hold it longer;
 * the sync's own deadline, {@link SyncDeadline}, cancels it sooner), the user agent {@code FolioSync/<version>},
 * retries ({@link RetryPolicy}), the rate limiter and redacting slf4j logging, in that order, so each retry
 * takes a permit and is logged.
 *
 * <pre>{@code
 * OkHttpClient http = HttpClients.builder("kraken")
 *         .rateLimiter(RateLimiterRegistry.shared().limiterFor("kraken", apiKey,
 *                 () -> RateLimiter.of("kraken", Duration.ofSeconds(30), RateLimit.perSecond(1))))
 *         .build();
 * }</pre>
 *
 * <p>TLS verification stays the JDK's default. A connector that must trust one self-signed host (the IBKR
 * gateway) derives a client with {@code newBuilder()} for that host only.
 */
@API(status = INTERNAL, since = "0.1")
public final class HttpClients {
    private HttpClients() {
    }

    /** @param source the connector id, used in the user agent's logs and in error messages */
    public static Builder builder(String source) {
        return new Builder(source);
    }

    /** @return the user agent FolioSync sends */
    public static String userAgent() {
        return "FolioSync/" + FolioSyncVersion.get();
    }

    /**
     * Registers the call with the {@link SyncDeadline} open on this thread, if any, so it is cancelled when the
     * deadline passes; a call made after it has passed fails at once.
     */
    private static okhttp3.Response withinSyncDeadline(okhttp3.Interceptor.Chain chain) throws java.io.IOException {
        Optional<SyncDeadline> deadline = SyncDeadline.current();
        if (deadline.isPresent()) {
            deadline.get().enter(chain.call());
        }
        return chain.proceed(chain.request());
    }

    /** Configures and builds an {@link OkHttpClient}. */
    public static final class Builder {
        private final String source;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofMinutes(5);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private RateLimiter rateLimiter;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private Random random = new SecureRandom();
        private OkHttpClient base;

        private Builder(String source) {
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("source must name the connector");
            }
            this.source = source;
        }

        public Builder connectTimeout(Duration d) { connectTimeout = positive("connectTimeout", d); return this; }
        public Builder readTimeout(Duration d) { readTimeout = positive("readTimeout", d); return this; }
        /** @param d the bound on a whole call, retries and waits included */
        public Builder callTimeout(Duration d) { callTimeout = positive("callTimeout", d); return this; }
        public Builder retryPolicy(RetryPolicy p) { retryPolicy = Objects.requireNonNull(p); return this; }
        public Builder rateLimiter(RateLimiter l) { rateLimiter = Objects.requireNonNull(l); return this; }
        public Builder sleeper(Sleeper s) { sleeper = Objects.requireNonNull(s); return this; }
        public Builder clock(Clock c) { clock = Objects.requireNonNull(c); return this; }
        public Builder random(Random r) { random = Objects.requireNonNull(r); return this; }
        /** @param client a client whose connection pool and dispatcher are shared */
        public Builder base(OkHttpClient client) { base = Objects.requireNonNull(client); return this; }

        public Optional<RateLimiter> rateLimiter() {
            return Optional.ofNullable(rateLimiter);
        }

        public OkHttpClient build() {
            String ua = userAgent();
            OkHttpClient.Builder b = (base == null ? new OkHttpClient.Builder() : base.newBuilder())
                    .connectTimeout(connectTimeout)
                    .readTimeout(readTimeout)
                    .writeTimeout(readTimeout)
                    .callTimeout(callTimeout)
                    // OkHttp's own silent retry can resend a POST; retries are decided by RetryInterceptor, which
                    // also resends a safe request at once when its pooled connection had been closed by the server.
                    .retryOnConnectionFailure(false)
                    .addInterceptor(HttpClients::withinSyncDeadline)
                    .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                            .header("User-Agent", ua).build()))
                    .addInterceptor(new RetryInterceptor(source, retryPolicy, sleeper, clock, random));
            if (rateLimiter != null) {
                b.addInterceptor(new RateLimitInterceptor(rateLimiter));
            }
            b.addInterceptor(new LoggingInterceptor(source));
            // tells a stale pooled connection from a failing server, for RetryInterceptor
            b.addNetworkInterceptor(new PooledConnections());
            return b.build();
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + d);
            }
            return d;
        }
    }
}
