package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The source could not be reached or the connection failed mid-way: refused, reset, dropped, timed out,
 * an unknown host. Nothing was learnt about the data, so trying again later may succeed: this is the one type
 * the HTTP layer retries without a status, and the only one the import job retries (what the HTTP layer could
 * not recover).
 *
 * <p>A TLS peer that is not trusted is not a network failure: see {@link UntrustedCertificateException}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class NetworkException extends DataFetchException {
    private static final long serialVersionUID = 1L;

    /**
     * @param endpoint {@code METHOD /path} or the host; may be null
     * @param message  what failed, for a person; must not hold a secret (a URL's query, a token)
     * @param cause    the I/O error; may be null when it could hold a secret
     */
    public NetworkException(String source, String endpoint, String message, Throwable cause) {
        super(source, endpoint, null, null, null, message, cause);
    }

    /** @return a network error worded from {@code cause}'s type and message, which must not hold a secret */
    public static NetworkException of(String source, String endpoint, Throwable cause) {
        return new NetworkException(source, endpoint, "network error: " + describe(cause), cause);
    }

    /**
     * @return what an I/O failure means, for a person, decided by its type: "connection refused (nothing answers at
     *         that address and port)" rather than {@code java.net.ConnectException: Failed to connect to …}
     */
    public static String describe(Throwable cause) {
        String detail = cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        if (cause instanceof java.net.ConnectException) {
            return "connection refused: nothing answers at that address and port; is the service up?";
        }
        if (cause instanceof java.net.SocketTimeoutException || cause instanceof java.io.InterruptedIOException) {
            return "no answer in time (timed out)";
        }
        if (cause instanceof java.net.UnknownHostException) {
            return "the host name cannot be found" + detail + "; check the address and the network";
        }
        if (cause instanceof java.net.NoRouteToHostException) {
            return "no route to the host; check the network";
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return "the secure (TLS) connection failed" + detail;
        }
        if (cause instanceof java.io.EOFException || cause instanceof java.net.SocketException) {
            return "the connection was closed by the other side" + detail;
        }
        return "the connection failed" + detail;
    }
}
