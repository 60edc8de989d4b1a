package io.foliosync.imports.ratelimit;

import io.foliosync.connectors.api.http.HttpClients;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiter;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.internal.FolioSyncInternals;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One FolioSync instance of {@link SharedRateLimitsTest}, in a JVM of its own: opens FolioSync on the PostgreSQL
 * schema with shared rate limits and says {@code READY}; then, for each line on standard input ({@code shared}: a
 * market-data key's limit, {@code per-key}: an exchange key's), makes its calls to the stand-in server through that
 * limiter of the registry FolioSync hands connectors and says {@code DONE}; exits 0 on {@code EXIT}.
 *
 * <p>Arguments: jdbc url, schema, server base url, calls per round, permits, period in milliseconds, instance.
 */
public final class SharedLimitMain {
    private SharedLimitMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        String base = args[2];
        int calls = Integer.parseInt(args[3]);
        RateLimit limit = new RateLimit(Long.parseLong(args[4]), Duration.ofMillis(Long.parseLong(args[5])));
        String instance = args[6];
        Path dir = Files.createTempDirectory("foliosync-instance");
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        try (FolioSync fs = FolioSync.builder()
                .environment(Map.of(MasterKey.ENV, key))
                .dotEnv(Optional.empty())
                .baseDirectory(dir)
                .providers(List.of())
                .database(DatabaseSettings.postgres(url, "postgres", Optional.empty()).withSchema(schema))
                .sharedRateLimits(true)
                .build()) {
            RateLimiterRegistry registry = FolioSyncInternals.connectorContext(fs).rateLimiters();
            // a market-data key's limit (shared) and an exchange key's (per key), both as connectors ask for them
            RateLimiter shared = registry.sharedLimiterFor("probe-marketdata", "one-market-data-key",
                    Duration.ofSeconds(60), List.of(limit));
            RateLimiter perKey = registry.limiterFor("probe-exchange", "one-exchange-key",
                    () -> RateLimiter.of("probe-exchange", Duration.ofSeconds(60), limit));
            // the first request of a JVM loads OkHttp's classes, hundreds of milliseconds on a loaded machine: made
            // here, unlimited, so that delay does not squeeze the measured arrivals together
            OkHttpClient warm = HttpClients.builder("probe").build();
            try (Response r = warm.newCall(new Request.Builder().url(base + "/warmup/" + instance).build()).execute()) {
                if (r.code() != 200) {
                    System.exit(4);
                }
            }
            shared.tryAcquire(); // and the first bucket command (JDBC, bucket4j classes)
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String kind = in.readLine(); kind != null && !kind.equals("EXIT"); kind = in.readLine()) {
                OkHttpClient http = HttpClients.builder("probe").rateLimiter(kind.equals("shared") ? shared : perKey)
                        .build();
                for (int i = 0; i < calls; i++) {
                    try (Response r = http.newCall(new Request.Builder().url(base + "/" + kind + "/" + instance + "/"
                            + i).build()).execute()) {
                        if (r.code() != 200) {
                            System.exit(4);
                        }
                    }
                }
                http.connectionPool().evictAll();
                System.out.println("DONE");
                System.out.flush();
            }
        }
        System.exit(0);
    }
}
