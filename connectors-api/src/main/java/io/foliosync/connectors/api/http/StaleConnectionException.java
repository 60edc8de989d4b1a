package io.foliosync.connectors.api.http;

import java.io.IOException;

/**
 * A request failed on an HTTP/1 connection taken from the pool, one that had already carried a whole exchange,
 * before any of its answer arrived: the server closed it after its last answer (HTTP/1.0 manners, or a
 * keep-alive shorter than the pool's) and nothing was processed. {@link RetryInterceptor} sends such a request
 * again at once on another connection, uncharged to the rate limit; it is never a reason to back off. Decided by
 * where the failure happened (see {@link PooledConnections}), never by the message of the I/O error.
 */
final class StaleConnectionException extends IOException {
    private static final long serialVersionUID = 1L;

    StaleConnectionException(IOException cause) {
        super("the pooled connection had been closed by the server: " + cause, cause);
    }
}
