package io.foliosync.examples.console;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Who may use the console, and what every response says about itself. Runs before every request.
 *
 * <ul>
 * <li>The access token: in the start URL's {@code token} parameter once (answered with a cookie and a redirect to
 *     the same page without it, so it stays out of the history and of any Referer), then in an HttpOnly cookie.
 *     SameSite=Lax, not Strict, because Schwab's redirect back to the callback is a cross-site navigation.</li>
 * <li>The Host header must name the loopback address the console listens on (when it does), which defeats DNS
 *     rebinding: a page on another name that resolves to 127.0.0.1 cannot talk to the console.</li>
 * <li>Every state-changing request (POST) carries the CSRF token ({@code _csrf} form field or
 *     {@code X-CSRF-Token} header), and its Origin, when the browser sends one, is the console's.</li>
 * </ul>
 */
final class AccessGuard {
    static final String COOKIE = "foliosync_console";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final String csrf;
    private final boolean loopbackOnly;

    AccessGuard(String token, String csrf, boolean loopbackOnly) {
        this.token = token;
        this.csrf = csrf;
        this.loopbackOnly = loopbackOnly;
    }

    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    String token() {
        return token;
    }

    String csrf() {
        return csrf;
    }

    /**
     * @param formTargets origins forms may post to besides the console (Schwab's authorization server, which the
     *                    console's "connect" form is redirected to)
     */
    void check(Context ctx, List<String> formTargets) {
        headers(ctx, formTargets);
        if (loopbackOnly && !loopbackHost(ctx.header("Host"))) {
            throw new ForbiddenResponse("FolioSync console: this address is not the console's (Host "
                    + ctx.header("Host") + "); open the address `foliosync serve` printed");
        }
        String offered = ctx.queryParam("token");
        if (offered != null) {
            if (!same(offered, token)) {
                throw new UnauthorizedResponse("FolioSync console: this access token is not the current one; open "
                        + "the address the running `foliosync serve` printed");
            }
            ctx.cookie(new Cookie(COOKIE, token, "/", -1, false, true, null, SameSite.LAX));
            ctx.redirect(ctx.path(), HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
            return;
        }
        if (ctx.method() == HandlerType.GET && ctx.path().equals(Console.SCHWAB_CALLBACK_PATH)) {
            // Schwab redirects the browser here, perhaps to localhost while the cookie belongs to 127.0.0.1 (the
            // default redirect URI says localhost): the single-use random OAuth state, which only this console's
            // authorization URL carried, is what authorizes this request (SchwabConnector checks it).
            return;
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie == null || !same(cookie, token)) {
            throw new UnauthorizedResponse("FolioSync console: no access token; open the address `foliosync serve` "
                    + "printed (it carries the token once, then the browser keeps it in a cookie)");
        }
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
            String origin = ctx.header("Origin");
            if (origin != null && !origin.equals(ownOrigin(ctx))) {
                throw new ForbiddenResponse("FolioSync console: refused a request from another site (" + origin + ")");
            }
            String sent = ctx.header(CSRF_HEADER);
            if (sent == null) {
                sent = ctx.formParam(CSRF_FIELD);
            }
            if (sent == null || !same(sent, csrf)) {
                throw new ForbiddenResponse("FolioSync console: refused a change without the page's CSRF token; "
                        + "reload the page and try again");
            }
        }
    }

    private static void headers(Context ctx, List<String> formTargets) {
        ctx.header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; connect-src 'self'; form-action 'self'"
                + (formTargets.isEmpty() ? "" : " " + String.join(" ", formTargets))
                + "; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: under no-referrer Chromium sends "Origin: null" with a form's POST, which
        // the Origin check above must refuse; other sites still get no Referer
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
    }

    private static String ownOrigin(Context ctx) {
        return "http://" + ctx.header("Host");
    }

    private static boolean loopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String h = hostHeader.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String name = colon > 0 && !h.endsWith("]") ? h.substring(0, colon) : h;
        return name.equals("127.0.0.1") || name.equals("localhost") || name.equals("[::1]");
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
