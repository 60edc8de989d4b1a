package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import okhttp3.Request;
import org.apiguardian.api.API;

/**
 * Whether a request may be sent again after a failure. Tag a request with
 * {@code request.newBuilder().tag(RequestSafety.class, RequestSafety.SAFE_READ)}.
 *
 * <p>Without a tag, GET, HEAD and OPTIONS are safe and everything else is not.
 */
@API(status = INTERNAL, since = "0.1")
public enum RequestSafety {
    /** A read, even when sent as POST (Kraken's private endpoints, OKX's signed reads): retried. */
    SAFE_READ,
    /** An order, a transfer, a one-time token or code exchange: never sent twice. */
    NEVER_RETRY;

    /** @return whether {@code request} may be repeated */
    public static boolean isRetryable(Request request) {
        RequestSafety tag = request.tag(RequestSafety.class);
        if (tag != null) {
            return tag == SAFE_READ;
        }
        return switch (request.method()) {
            case "GET", "HEAD", "OPTIONS" -> true;
            default -> false;
        };
    }

    /** @return {@code request} tagged with this safety */
    public Request tag(Request request) {
        return request.newBuilder().tag(RequestSafety.class, this).build();
    }
}
