package io.foliosync.examples.cli;

import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A loopback server that replays recorded API responses from the demo's resources, routed by method and path
 * as {@code demo/routes.txt} lists them. Only the server is recorded: every request comes from the real
 * connector code.
 */
final class ReplayServer implements AutoCloseable {
    private record Route(String method, String path, String resource) {
    }

    private final String name;
    private final MockWebServer server = new MockWebServer();
    private final AtomicInteger requests = new AtomicInteger();

    private ReplayServer(String name, List<Route> routes) {
        this.name = name;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.incrementAndGet();
                String path = request.getUrl().encodedPath();
                String decoded = request.getUrl().pathSegments().isEmpty() ? path
                        : "/" + String.join("/", request.getUrl().pathSegments());
                for (Route r : routes) {
                    if ((r.method().equals("*") || r.method().equals(request.getMethod()))
                            && (r.path().equals(path) || r.path().equals(decoded))) {
                        return respond(r.resource());
                    }
                }
                return new MockResponse.Builder().code(404).addHeader("Content-Type", "application/json")
                        .body("{\"error\":\"no recorded response for " + request.getMethod() + " " + path + "\"}")
                        .build();
            }
        });
    }

    /** Starts the server called {@code name} in the routes file, over TLS when a socket factory is given. */
    static ReplayServer start(String name, SSLSocketFactory tls) {
        List<Route> routes = new ArrayList<>();
        for (String line : resource("routes.txt").split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+", 4);
            if (parts[0].equals(name)) {
                routes.add(new Route(parts[1], parts[2], parts[3]));
            }
        }
        if (routes.isEmpty()) {
            throw new IllegalStateException("demo/routes.txt has no route for " + name);
        }
        ReplayServer replay = new ReplayServer(name, routes);
        try {
            if (tls != null) {
                replay.server.useHttps(tls);
            }
            replay.server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " replay server on loopback", e);
        }
        return replay;
    }

    /** @return the base URL, without a trailing slash, with {@code host} as the host name */
    String baseUrl(String host) {
        HttpUrl url = server.url("/").newBuilder().host(host).build();
        String s = url.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    int requestCount() {
        return requests.get();
    }

    String name() {
        return name;
    }

    private static MockResponse respond(String resource) {
        if (resource.startsWith("inline:")) {
            return json(200, resource.substring("inline:".length()));
        }
        String body = resource(resource);
        if (resource.startsWith("yahoo/")) {
            // Recorded exchanges ({request, response{status, bodyJson}}): replay the response as it was.
            try {
                Map<?, ?> exchange = (Map<?, ?>) Json.readTree(body);
                Map<?, ?> response = (Map<?, ?>) exchange.get("response");
                int status = new java.math.BigDecimal(String.valueOf(response.get("status"))).intValue();
                return json(status, Json.moshi().adapter(Object.class).toJson(response.get("bodyJson")));
            } catch (IOException e) {
                throw new UncheckedIOException("demo resource " + resource + " is not a recorded exchange", e);
            }
        }
        return json(200, body);
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    static String resource(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String name) {
        try (InputStream in = ReplayServer.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("demo resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
