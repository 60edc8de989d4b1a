package io.foliosync.imports.ratelimit;

import io.foliosync.connectors.api.http.HttpClients;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiter;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.config.DatabaseSettings;
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
 * schema with shared rate limits, says {@code READY}, waits for {@code GO} on standard input, then makes its calls
 * to the stand-in server through a limiter of the registry FolioSync hands connectors, and exits 0.
 *
 * <p>Arguments: jdbc url, schema, server base url, kind ({@code shared}: a market-data key's limit, or
 * {@code per-key}: an exchange key's), calls, permits, period in milliseconds, instance number.
 */
public final class SharedLimitMain {
    private SharedLimitMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        String base = args[2];
        String kind = args[3];
        int calls = Integer.parseInt(args[4]);
        RateLimit limit = new RateLimit(Long.parseLong(args[5]), Duration.ofMillis(Long.parseLong(args[6])));
        String instance = args[7];
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
            RateLimiterRegistry registry = fs.connectorContext().rateLimiters();
            RateLimiter limiter = kind.equals("shared")
                    ? registry.sharedLimiterFor("probe-marketdata", "one-market-data-key", Duration.ofSeconds(30),
                            List.of(limit))
                    : registry.limiterFor("probe-exchange", "one-exchange-key",
                            () -> RateLimiter.of("probe-exchange", Duration.ofSeconds(30), limit));
            OkHttpClient http = HttpClients.builder("probe").rateLimiter(limiter).build();
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"GO".equals(in.readLine())) {
                System.exit(3);
            }
            for (int i = 0; i < calls; i++) {
                try (Response r = http.newCall(new Request.Builder().url(base + "/" + kind + "/" + instance + "/" + i)
                        .build()).execute()) {
                    if (r.code() != 200) {
                        System.exit(4);
                    }
                }
            }
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        System.exit(0);
    }
}
