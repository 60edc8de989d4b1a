package io.foliosync.connectors.crypto.internal;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.UntrustedCertificateException;
import java.io.IOException;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.knowm.xchange.exceptions.ExchangeException;
import org.knowm.xchange.exceptions.ExchangeSecurityException;
import org.knowm.xchange.exceptions.ExchangeUnavailableException;
import org.knowm.xchange.exceptions.FrequencyLimitExceededException;
import org.knowm.xchange.exceptions.NonceException;
import org.knowm.xchange.exceptions.NotAvailableFromExchangeException;
import org.knowm.xchange.exceptions.NotYetImplementedForExchangeException;
import org.knowm.xchange.exceptions.RateLimitExceededException;
import si.mazi.rescu.HttpStatusExceptionSupport;

/**
 * What a generic account's XChange call threw, as FolioSync's typed exceptions, decided by the exception's type
 * and HTTP status only (its message is shown, never matched): for a module FolioSync has not read, the typed
 * exceptions XChange defines are all there is to go on. {@link Calls} retries what this returns as its retry
 * policy says: {@link RateLimitException}, {@link NetworkException} (XChange's
 * {@link ExchangeUnavailableException} and any {@link IOException}) and 5xx/408/429 statuses.
 */
final class XChangeFailures {
    private XChangeFailures() {
    }

    /**
     * @return whether {@code e} says the module has no such call for this exchange
     *         ({@link NotYetImplementedForExchangeException}, {@link NotAvailableFromExchangeException}): a capability
     *         to report as "not available for this exchange", never a failure of the sync
     */
    static boolean unsupported(Throwable e) {
        return e instanceof NotYetImplementedForExchangeException || e instanceof NotAvailableFromExchangeException
                || e instanceof UnsupportedOperationException;
    }

    static ConnectorException classify(String source, String endpoint, HttpUrl base, Throwable e) {
        if (e instanceof ConnectorException ce) {
            return ce;
        }
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof RateLimitExceededException || e instanceof FrequencyLimitExceededException) {
            return new RateLimitException(source, endpoint + ": rate limit exceeded (" + text + ")", Optional.empty());
        }
        if (e instanceof ExchangeUnavailableException) {
            return new NetworkException(source, endpoint, "the exchange is unavailable: " + text, e);
        }
        if (e instanceof NonceException) {
            return new AuthenticationException(source, endpoint + ": the exchange rejected the request's nonce or "
                    + "timestamp (" + text + "): sync this machine's clock (NTP), and do not share one API key "
                    + "between two programs", e);
        }
        if (e instanceof ExchangeSecurityException) {
            return keyRefused(source, endpoint, text, e);
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            return DataFetchException.malformed(source, endpoint, null, null,
                    "malformed response: " + jpe.getOriginalMessage(), e);
        }
        Optional<Integer> httpStatus = httpStatus(e);
        if (httpStatus.isPresent()) {
            int status = httpStatus.get();
            if (status == 429) {
                return new RateLimitException(source, endpoint + ": HTTP 429: rate limit exceeded (" + text + ")",
                        Optional.empty());
            }
            if (status == 401 || status == 403) {
                return keyRefused(source, endpoint, "HTTP " + status + ": " + text, e);
            }
            return DataFetchException.httpStatus(source, endpoint, status, text);
        }
        if (e instanceof ExchangeException || e instanceof HttpStatusExceptionSupport) {
            return new DataFetchException(source, endpoint, "the exchange answered with an error: " + text, e);
        }
        if (e instanceof IOException io) {
            return UntrustedCertificateException.findCertificateFailure(io).isPresent()
                    ? new UntrustedCertificateException(source, base.host(), base.port(), null, io)
                    : NetworkException.of(source, endpoint, io);
        }
        if (e instanceof NullPointerException || e instanceof IllegalArgumentException
                || e instanceof ClassCastException || e instanceof IndexOutOfBoundsException
                || e instanceof java.time.DateTimeException || e instanceof ArithmeticException) {
            // An adapter of the module failed on what the exchange sent (an unknown type, a missing field).
            return DataFetchException.malformed(source, endpoint, null, null,
                    "XChange could not read the answer: " + e.getClass().getSimpleName() + ": " + text, e);
        }
        // A module's own exception type, outside XChange's hierarchy and without the HTTP status (Bitfinex's
        // BitfinexException): the exchange's error, shown as it is, not retried.
        return new DataFetchException(source, endpoint, "the exchange answered with an error ("
                + e.getClass().getSimpleName() + "): " + text, e);
    }

    /**
     * @return the HTTP status rescu recorded on {@code e} or a cause (modules wrap their exchange's exception, which
     *         carries it, in a plain {@link ExchangeException})
     */
    private static Optional<Integer> httpStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpStatusExceptionSupport hs && hs.getHttpStatusCode() > 0) {
                return Optional.of(hs.getHttpStatusCode());
            }
        }
        return Optional.empty();
    }

    private static AuthenticationException keyRefused(String source, String endpoint, String text, Throwable e) {
        String at = "crypto_exchanges." + source + ".";
        return new AuthenticationException(source, endpoint + ": the API key was refused (" + text + "): check "
                + at + "api_key, " + at + "api_secret (and any passphrase or user_id the exchange needs) and the "
                + "key's read permissions", e);
    }
}
