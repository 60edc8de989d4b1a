package io.foliosync.examples.console;

import static org.apiguardian.api.API.Status.INTERNAL;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.ImportListener;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;
import org.slf4j.LoggerFactory;

/**
 * {@code foliosync serve}: a local web console over one {@link FolioSync}, the instance the command line builds.
 * Server-rendered pages (jte, precompiled) on Javalin; live job progress over server-sent events.
 *
 * <p>Security: it listens on 127.0.0.1 unless told otherwise; every request needs the random access token
 * printed at start (the start URL carries it once, then an HttpOnly cookie does); every POST needs the page's
 * CSRF token; every response carries a Content Security Policy that allows only the console's own scripts and
 * styles. Keys and tokens are shown as set/missing only, account numbers by their last four characters.
 */
@API(status = INTERNAL, since = "0.1")
public final class Console implements AutoCloseable {
    /** The largest upload (a plugin jar) the console takes, in MB. */
    static final int UPLOAD_LIMIT_MB = 64;
    static final String TOO_LARGE = "FolioSync console: the upload is larger than " + UPLOAD_LIMIT_MB
            + " MB, the most the console takes; a plugin jar is far smaller (install a larger one with "
            + "`foliosync plugins install FILE`)";

    /** @return whether {@code type} is {@code e} or among its causes */
    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
    /** The console's own path for Schwab's OAuth callback: set {@code schwab.redirect_uri} to it. */
    public static final String SCHWAB_CALLBACK_PATH = "/auth/schwab/callback";

    private final Javalin app;
    private final AccessGuard guard;
    private final SyncJobs jobs;
    private final SchwabLink schwab;
    private final Pages pages;
    private final String host;

    private Console(Javalin app, AccessGuard guard, SyncJobs jobs, SchwabLink schwab, Pages pages, String host) {
        this.app = app;
        this.guard = guard;
        this.jobs = jobs;
        this.schwab = schwab;
        this.pages = pages;
        this.host = host;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return the address to open once: it carries the access token, which the console then keeps in a cookie */
    public URI startUrl() {
        return URI.create(baseUrl() + "/?token=" + guard.token());
    }

    /** @return the console's address without the token */
    public URI baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + app.port());
    }

    /** @return whether the console listens on a loopback address only */
    public boolean loopbackOnly() {
        return isLoopback(host);
    }

    public int port() {
        return app.port();
    }

    /** Stops the server, waits for a running sync to end, and closes what the console opened (not the FolioSync). */
    @Override
    public void close() {
        try {
            // the event streams first: Jetty recycles their responses when it stops
            jobs.close();
        } finally {
            try {
                app.stop();
            } finally {
                try {
                    schwab.close();
                } finally {
                    pages.close();
                }
            }
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** What a page that failed on the console's side says: the log has the cause, nothing of it reaches the page. */
    static final String SERVER_ERROR = "The console could not make this page. What went wrong is in the console's "
            + "log (the terminal running foliosync serve); reload to try again.";

    /** Answers {@code status} with a page in the console's frame (its navigation) saying {@code message}. */
    static void errorPage(io.javalin.http.Context ctx, Views views, int status, String title, String message) {
        ctx.status(status).html(views.render("error.jte", java.util.Map.of("chrome", new Views.Chrome(title, "", "",
                java.util.Optional.empty()), "status", status, "message", message)));
    }

    /** Where the console listens; {@link #listener()} goes to {@code FolioSync.builder(...).listener(...)}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 5000;
        private final SyncJobs jobs = new SyncJobs();

        private Builder() {
        }

        /** @param host the address to bind; anything but loopback exposes the console (still behind the token) */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** @param port the port, 0 for any free one */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** @return the listener that feeds the Jobs page's live progress: build the FolioSync with it */
        public ImportListener listener() {
            return jobs;
        }

        /** Starts the console over {@code folio}, which must have been built with {@link #listener()}. */
        public Console start(FolioSync folio) {
            Objects.requireNonNull(folio, "folio");
            AccessGuard guard = new AccessGuard(AccessGuard.randomToken(), AccessGuard.randomToken(),
                    isLoopback(host));
            jobs.attach(folio);
            SchwabLink schwab = new SchwabLink(folio);
            TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
                    Console.class.getClassLoader(), Console.class.getPackageName());
            Views views = new Views(templates, guard);
            Pages pages = new Pages(folio, jobs, schwab, views);
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.jetty.host = host;
                config.jetty.port = port;
                config.jetty.multipartConfig.maxFileSize(UPLOAD_LIMIT_MB, SizeUnit.MB);
                config.jetty.multipartConfig.maxTotalRequestSize(UPLOAD_LIMIT_MB, SizeUnit.MB);
                // over the limit: 413 and a sentence, not a 500 (see UploadLimit)
                config.jetty.modifyServletContextHandler(h -> h.insertHandler(
                        new UploadLimit(UPLOAD_LIMIT_MB * 1024L * 1024L, TOO_LARGE)));
                config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
                config.staticFiles.enableWebjars();
                config.staticFiles.add("/io/foliosync/examples/console/static", Location.CLASSPATH);
                config.routes.before(ctx -> guard.check(ctx, schwab.formTargets()));
                // numbers are grouped as the reader's browser asks (Accept-Language); a request without one: en-US
                config.routes.before(ctx -> Views.locale(ctx.header("Accept-Language") == null ? Locale.US
                        : ctx.req().getLocale()));
                config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                    if (e.getStatus() == 401 || e.getStatus() == 403) {
                        // refused by the guard: a sentence, and no page (whose frame carries the CSRF token)
                        ctx.status(e.getStatus()).contentType("text/plain; charset=utf-8").result(e.getMessage());
                    } else if (e instanceof io.javalin.http.NotFoundResponse) {
                        // the router's own "Endpoint GET /x not found" is for developers
                        errorPage(ctx, views, 404, "Not found", "The console has no page at " + ctx.path()
                                + ". Choose one above.");
                    } else {
                        errorPage(ctx, views, e.getStatus(), "This cannot be shown", e.getMessage());
                    }
                });
                config.routes.exception(Exception.class, (e, ctx) -> {
                    LoggerFactory.getLogger(Console.class).warn("Uncaught exception", e);
                    // a connector's or the store's exception is worded for a person; anything else is a fault
                    errorPage(ctx, views, 500, "Something went wrong",
                            e instanceof io.foliosync.connectors.api.FolioSyncException c
                            ? Views.scrub(c.getMessage()) + ". Reload to try again." : SERVER_ERROR);
                });
                config.routes.error(404, "*", ctx -> {
                    if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().startsWith("Endpoint ")) {
                        errorPage(ctx, views, 404, "Not found", "The console has no page at " + ctx.path()
                                + ". Choose one above.");
                    }
                });
                // a chunked upload cut off at the limit reaches the route as the multipart parser's failure
                config.routes.exception(jakarta.servlet.ServletException.class, (e, ctx) -> {
                    if (causedBy(e, UploadLimit.TooLarge.class)) {
                        ctx.status(413).contentType("text/plain; charset=utf-8").result(TOO_LARGE);
                    } else {
                        // as Javalin answers any other fault: logged with its trace, a 500 without it
                        LoggerFactory.getLogger(Console.class).warn("Uncaught exception", e);
                        errorPage(ctx, views, 500, "Something went wrong", SERVER_ERROR);
                    }
                });
                pages.register(config.routes);
            });
            app.start();
            return new Console(app, guard, jobs, schwab, pages, host);
        }
    }
}
