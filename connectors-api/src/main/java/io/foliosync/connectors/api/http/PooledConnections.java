package io.foliosync.connectors.api.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * The network interceptor that tells a stale pooled connection from a failing server: it remembers (weakly) each
 * HTTP/1 connection that has carried a whole exchange, and when a later request on such a connection fails before
 * any answer arrives, it throws a {@link StaleConnectionException} for {@link RetryInterceptor}. A timeout is not
 * staleness (the server is there, only slow), nor is a cancelled call; HTTP/2 streams are retried by OkHttp itself
 * when the server refuses them.
 */
final class PooledConnections implements Interceptor {
    /** Shared by every client: clients built on one {@code base} share its pool, and so its connections. */
    private static final Set<Connection> USED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    public Response intercept(Chain chain) throws IOException {
        Connection connection = chain.connection();
        boolean reused = connection != null && USED.contains(connection);
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            if (reused && !chain.call().isCanceled() && isHttp1(connection)) {
                throw new StaleConnectionException(e);
            }
            throw e;
        }
        if (connection != null) {
            USED.add(connection);
        }
        return response;
    }

    private static boolean isHttp1(Connection c) {
        return c.protocol() == Protocol.HTTP_1_1 || c.protocol() == Protocol.HTTP_1_0;
    }
}
