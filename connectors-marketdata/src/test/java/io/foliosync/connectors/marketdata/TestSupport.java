package io.foliosync.connectors.marketdata;

import com.squareup.moshi.JsonReader;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/** Fixtures, responses and a connector wired to a loopback MockWebServer. */
final class TestSupport {
    static final String KEY = "test-key-0123456789";

    private TestSupport() {
    }

    static String resource(String path) {
        try (InputStream in = TestSupport.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the Yahoo body of a recorded exchange ({@code response.bodyJson}), byte for byte */
    static String yahooBody(String file) {
        try (JsonReader r = JsonReader.of(new Buffer().writeUtf8(resource("yahoo/" + file)))) {
            r.beginObject();
            while (r.hasNext()) {
                if (!r.nextName().equals("response")) {
                    r.skipValue();
                    continue;
                }
                r.beginObject();
                while (r.hasNext()) {
                    if (r.nextName().equals("bodyJson")) {
                        return r.nextSource().readUtf8();
                    }
                    r.skipValue();
                }
            }
            throw new IllegalStateException("no response.bodyJson in " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body)
                .build();
    }

    static MockResponse status(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body)
                .build();
    }

    static MockResponse notFound() {
        return status(404, "{\"detail\":\"Not found.\"}");
    }

    static Dispatcher routes(Function<RecordedRequest, MockResponse> route) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                MockResponse r = route.apply(request);
                return r == null ? notFound() : r;
            }
        };
    }

    static Clock fixed(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    static ConnectorContext context(Clock clock) {
        return new ConnectorContext(clock, Path.of("target", "test-data"), SecretCipher.of(MasterKey.generate()),
                RateLimiterRegistry.isolated());
    }

    /** @return a provider section pointing at {@code server}: one attempt per call, a generous limit */
    static Map<String, Object> provider(MockWebServer server) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("base_url", server.url("/").toString());
        p.put("api_key", KEY);
        p.put("retry_attempts", 1);
        p.put("rate_limit_per_second", 100_000);
        return p;
    }

    static Map<String, Object> section(String primary, String... fallbacks) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("enabled", true);
        s.put("primary_provider", primary);
        s.put("fallback_providers", java.util.List.of(fallbacks));
        return s;
    }

    static MarketDataConnector connector(Map<String, Object> section, Clock clock) {
        MarketDataConnector c = MarketDataConnector.fromConfig(new ConfigSection("market_data", section),
                context(clock));
        if (!c.authenticate().success()) {
            throw new IllegalStateException("authenticate failed");
        }
        return c;
    }

    /**
     * Serves, on {@code server}, Yahoo's recorded AAPL chart (its last close 244.87 of 2025-02-19 once re-dated) and
     * FRED observations of 2025-02-19 for the series in {@code fredRates} (DEXUSEU, DEXUSUK...: their value);
     * other series answer with no observation, other charts 404.
     */
    static void serveAaplAndFred(MockWebServer server, Map<String, String> fredRates) {
        String aapl = yahooBody("chart-AAPL-2020-08-31-to-2020-11-07.json");
        String observation = "{\"realtime_start\":\"2025-02-20\",\"realtime_end\":\"2025-02-20\",\"count\":1,"
                + "\"offset\":0,\"limit\":100000,\"observations\":[{\"realtime_start\":\"2025-02-20\","
                + "\"realtime_end\":\"2025-02-20\",\"date\":\"2025-02-19\",\"value\":\"RATE\"}]}";
        String none = "{\"realtime_start\":\"2025-02-20\",\"realtime_end\":\"2025-02-20\",\"count\":0,"
                + "\"offset\":0,\"limit\":100000,\"observations\":[]}";
        server.setDispatcher(routes(r -> switch (r.getUrl().encodedPath()) {
            case "/v8/finance/chart/AAPL" -> json(aapl);
            case "/fred/series/observations" -> {
                String rate = fredRates.get(String.valueOf(r.getUrl().queryParameter("series_id")));
                yield json(rate == null ? none : observation.replace("RATE", rate));
            }
            default -> r.getUrl().encodedPath().startsWith("/v8/")
                    ? status(404, "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\"}}}") : null;
        }));
    }

    /** @return market data with Yahoo for prices and FRED for FX, both on {@code server}, stale after 4 days */
    static MarketDataConnector yahooAndFred(MockWebServer server, Clock clock) {
        Map<String, Object> s = section("yahoo", "fred");
        s.put("yahoo", provider(server));
        s.put("fred", provider(server));
        s.put("fx_providers", java.util.List.of("fred"));
        s.put("stale_after", "4d");
        return connector(s, clock);
    }

    /** A clock tests move forward. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(String instant) {
            now = Instant.parse(instant);
        }

        void set(String instant) {
            now = Instant.parse(instant);
        }

        void advance(java.time.Duration d) {
            now = now.plus(d);
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
            return now;
        }
    }
}
