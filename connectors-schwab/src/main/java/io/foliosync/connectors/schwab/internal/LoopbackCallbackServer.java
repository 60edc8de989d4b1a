package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.foliosync.connectors.api.ConfigurationException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-shot HTTP listener on the loopback interface (the JDK's HTTP server) that receives the browser's
 * redirect after the user authorizes, hands the callback URL to the code exchange, and answers the browser
 * with a plain success or failure page. It runs only during an authorization and stops after the first
 * callback or the timeout.
 */
@API(status = INTERNAL, since = "0.1")
public final class LoopbackCallbackServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackCallbackServer.class);
    private final HttpServer server;
    private final ExecutorService executor;
    private final CompletableFuture<Void> outcome = new CompletableFuture<>();

    private LoopbackCallbackServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts listening at the host, port and path of {@code redirectUri}.
     *
     * @param onCallback receives the full callback URL; throws to report a failure to the browser
     * @throws ConfigurationException when the redirect URI is not an http URL on a loopback host
     */
    public static LoopbackCallbackServer start(URI redirectUri, Consumer<String> onCallback) throws IOException {
        Objects.requireNonNull(onCallback, "onCallback");
        String host = redirectUri.getHost() == null ? "" : redirectUri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
                || host.equals("::1");
        if (!"http".equalsIgnoreCase(redirectUri.getScheme()) || !loopback) {
            throw new ConfigurationException(SchwabIds.SOURCE, "schwab.redirect_uri: the built-in callback listener "
                    + "needs an http URL on localhost or 127.0.0.1 (was " + redirectUri + "); with an https or "
                    + "remote callback, copy the URL the browser lands on and pass it to completeAuthorization()");
        }
        int port = redirectUri.getPort() > 0 ? redirectUri.getPort() : 80;
        String path = redirectUri.getRawPath() == null || redirectUri.getRawPath().isEmpty() ? "/"
                : redirectUri.getRawPath();
        InetAddress bind = host.contains(":") ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1");
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "schwab-oauth-callback");
            t.setDaemon(true);
            return t;
        });
        LoopbackCallbackServer self = new LoopbackCallbackServer(server, executor);
        String origin = "http://" + redirectUri.getRawAuthority();
        server.createContext(path, exchange -> self.handle(exchange, origin, onCallback));
        server.setExecutor(executor);
        server.start();
        LOG.debug("schwab: listening for the OAuth callback on {}{}", origin, path);
        return self;
    }

    private void handle(HttpExchange exchange, String origin, Consumer<String> onCallback) throws IOException {
        try (exchange) {
            if (!"GET".equalsIgnoreCase(exchange.getRequestMethod()) || outcome.isDone()) {
                respond(exchange, 404, "Not found", "Nothing to see here.");
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            if (query == null || !(query.contains("code=") || query.contains("error=") || query.contains("state="))) {
                // favicon.ico and other stray requests of the browser are not the callback
                respond(exchange, 404, "Not found", "Waiting for the Schwab callback.");
                return;
            }
            String url = origin + exchange.getRequestURI().toString();
            try {
                onCallback.accept(url);
                respond(exchange, 200, "FolioSync is authorized",
                        "FolioSync can now read your Schwab accounts. You can close this window.");
                outcome.complete(null);
            } catch (RuntimeException e) {
                respond(exchange, 400, "Authorization failed",
                        "FolioSync could not complete the Schwab authorization: " + e.getMessage()
                                + " Return to FolioSync and try again.");
                outcome.completeExceptionally(e);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String title, String text) throws IOException {
        String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head><body><h1>" + escape(title) + "</h1><p>" + escape(text) + "</p></body></html>";
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * Waits for the callback.
     *
     * @throws TimeoutException   when no callback arrived in time
     * @throws RuntimeException   the exchange's failure, as reported to the browser
     */
    public void await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
