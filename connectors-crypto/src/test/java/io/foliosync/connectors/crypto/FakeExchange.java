package io.foliosync.connectors.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A loopback exchange: a MockWebServer that routes by path and records every request. */
final class FakeExchange implements AutoCloseable {
    private final MockWebServer server = new MockWebServer();
    private final Map<String, Function<Call, MockResponse>> routes = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    /** One request as the server saw it: path, query and form parameters merged. */
    record Call(String method, String path, Map<String, String> params, RecordedRequest raw) {
        String param(String name) {
            return params.get(name);
        }
    }

    FakeExchange() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Call call = new Call(request.getMethod(), request.getUrl().encodedPath(), params(request), request);
                calls.add(call);
                Function<Call, MockResponse> route = routes.get(call.path());
                return route == null ? new MockResponse.Builder().code(404).body("{\"error\":[\"EGeneral:Unknown "
                        + "method\"],\"code\":\"404\",\"msg\":\"no route " + call.path() + "\"}").build()
                        : route.apply(call);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        String s = server.url("/").toString();
        return s.substring(0, s.length() - 1);
    }

    FakeExchange route(String path, Function<Call, MockResponse> response) {
        routes.put(path, response);
        return this;
    }

    FakeExchange json(String path, String body) {
        return route(path, c -> ok(body));
    }

    /** Answers in turn with each body, then repeats the last. */
    FakeExchange sequence(String path, String... bodies) {
        int[] n = {0};
        return route(path, c -> ok(bodies[Math.min(n[0]++, bodies.length - 1)]));
    }

    static MockResponse ok(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    List<Call> calls() {
        return Collections.unmodifiableList(new ArrayList<>(calls));
    }

    List<Call> calls(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    void reset() {
        calls.clear();
    }

    static String resource(String name) {
        try (InputStream in = FakeExchange.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (name.endsWith(".txt")) {
                // JKorf format: method, path and auth flag, then the body.
                return text.split("\\R", 4)[3];
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> params(RecordedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : r.getUrl().queryParameterNames()) {
            out.put(name, r.getUrl().queryParameter(name));
        }
        String body = r.getBody() == null ? "" : r.getBody().utf8();
        if (!body.isEmpty() && !body.startsWith("{")) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /**
     * @return a connector on {@code now}'s fixed clock, an isolated limiter registry, 3 attempts per call, and
     *         waits recorded in {@code slept} instead of made
     */
    static CryptoExchangeConnector connector(java.time.Instant now, List<java.time.Duration> slept,
                                             ExchangeSettings... exchanges) {
        return CryptoExchangeConnector.builder()
                .exchanges(List.of(exchanges))
                .rateLimiters(io.foliosync.connectors.api.http.RateLimiterRegistry.isolated())
                .sleeper(slept::add)
                .retryPolicy(io.foliosync.connectors.api.http.RetryPolicy.builder().maxAttempts(3).build())
                .clock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC))
                .build();
    }

    @Override
    public void close() {
        server.close();
    }
}
