package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.UntrustedCertificateException;
import io.foliosync.connectors.crypto.pacing.Pacer;
import io.foliosync.connectors.api.http.Sleeper;
import io.foliosync.connectors.api.http.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import org.apiguardian.api.API;
import org.knowm.xchange.exceptions.ExchangeException;
import org.knowm.xchange.exceptions.ExchangeSecurityException;
import org.knowm.xchange.exceptions.ExchangeUnavailableException;
import org.knowm.xchange.exceptions.FrequencyLimitExceededException;
import org.knowm.xchange.exceptions.NonceException;
import org.knowm.xchange.exceptions.RateLimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import si.mazi.rescu.HttpStatusExceptionSupport;
import si.mazi.rescu.HttpStatusIOException;

/**
 * Runs every call to one exchange: charges each attempt to the account's {@link Pacer} (the exchange's documented
 * limits, the endpoint's cost) and waits as it says, tells it when the exchange refused a call for its rate
 * limit, turns XChange's and the exchange's errors into FolioSync's typed exceptions naming exchange and
 * endpoint, and retries.
 *
 * <p>This is the <em>only</em> retry layer of the module: the OkHttp client of the module's own calls is built
 * with {@link RetryPolicy#none()}, and rescu (XChange's HTTP layer) does not retry. Retrying here rather than
 * in an interceptor means every attempt is signed again with a fresh nonce or timestamp (Kraken refuses a
 * repeated nonce, OKX and Binance a stale timestamp), and one 429 costs at most {@code maxAttempts} requests,
 * not {@code maxAttempts²}. What is retried is decided by type only, by {@link RetryPolicy#isTransient}:
 * {@link NetworkException} (an exchange's "unavailable" or "busy" code among them), {@link HttpStatusException}
 * with a 5xx, 408 or 429, and {@link RateLimitException} (HTTP 429, or a rate-limit code in the answer's error
 * field as the exchange's {@link ErrorCodes} classify it: Kraken's {@code EAPI:Rate limit exceeded}, OKX's 50011,
 * Binance's -1003), with the policy's backoff or the server's {@code Retry-After} when longer. A {@code Retry-After} beyond the
 * policy's cap, and a Binance IP ban, are not waited out: the {@link RateLimitException} is thrown at once
 * with the wait.
 */
@API(status = INTERNAL, since = "0.1")
public final class Calls {
    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

    /** A call that may throw what XChange throws. */
    @FunctionalInterface
    public interface IoCall<T> {
        T call() throws IOException;
    }

    private final String source;
    private final HttpUrl baseUrl;
    private final Pacer pacer;
    private final Sleeper sleeper;
    private final RetryPolicy policy;
    private final Random random;
    private final ErrorCodes errorCodes;

    /** @param errorCodes the exchange's error codes, by which its error answers become typed exceptions */
    public Calls(String source, HttpUrl baseUrl, Pacer pacer, Sleeper sleeper, RetryPolicy policy,
                 Random random, ErrorCodes errorCodes) {
        this.source = source;
        this.errorCodes = errorCodes;
        this.baseUrl = baseUrl;
        this.pacer = pacer;
        this.sleeper = sleeper;
        this.policy = policy;
        this.random = random;
    }

    public String source() {
        return source;
    }

    /** @return the account's pacer: what the exchange's limits allow, and estimates for a progress display */
    public Pacer pacer() {
        return pacer;
    }

    /** Runs an XChange call: paced per attempt. */
    public <T> T xchange(String endpoint, IoCall<T> call) {
        return retrying(endpoint, () -> {
            try {
                T result = call.call();
                if (result == null) {
                    throw DataFetchException.malformed(source, endpoint, null, null, "empty response", null);
                }
                return result;
            } catch (ConnectorException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw translate(endpoint, e);
            }
        });
    }

    /**
     * Runs one of the module's own calls, whose OkHttp client does not retry: the whole {@code attempt} (signing
     * included) runs again on a retryable failure, paced like the first.
     */
    public <T> T http(String endpoint, Supplier<T> attempt) {
        return retrying(endpoint, attempt);
    }

    private <T> T retrying(String endpoint, Supplier<T> attempt) {
        for (int n = 1; ; n++) {
            // Paced before signing: a nonce or timestamp made before a long wait could be stale. A wait too long
            // for the bound fails here, not retried.
            Pacer.Permit permit = pacer.acquire(endpoint);
            try {
                try {
                    return attempt.get();
                } finally {
                    // Refused or not, the exchange has counted the attempt by now: later calls pace from here.
                    permit.done();
                }
            } catch (ConnectorException e) {
                if (e instanceof RateLimitException r && !(e instanceof IpBanException)) {
                    pacer.refused(endpoint, r.retryAfter());
                }
                // An IP ban is a RateLimitException that every further call lengthens.
                if (n >= policy.maxAttempts() || e instanceof IpBanException || !policy.isTransient(e)) {
                    logCap(endpoint, e);
                    throw e;
                }
                Duration backoff = policy.backoff(n, random);
                Duration wait = retryAfter(e).filter(ra -> ra.compareTo(backoff) > 0).orElse(backoff);
                pause(endpoint, e instanceof HttpStatusException h ? "HTTP " + h.status()
                        : e.getClass().getSimpleName(), n, wait, e);
            }
        }
    }

    private static Optional<Duration> retryAfter(ConnectorException e) {
        if (e instanceof RateLimitException r) {
            return r.retryAfter();
        }
        return e instanceof HttpStatusException h ? h.retryAfter() : Optional.empty();
    }

    private void logCap(String endpoint, ConnectorException e) {
        retryAfter(e).filter(ra -> ra.compareTo(policy.maxRetryAfter()) > 0).ifPresent(ra -> LOG.warn(
                "{}: {} asked to wait {} s, more than the {} s cap: giving up", source, endpoint, ra.toSeconds(),
                policy.maxRetryAfter().toSeconds()));
    }

    private void pause(String endpoint, String why, int n, Duration wait, ConnectorException cause) {
        LOG.info("{}: {} failed ({}); retry {} of {} in {} ms", source, endpoint, why, n, policy.maxAttempts() - 1,
                wait.toMillis());
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    /**
     * @param error      the error the exchange reported in its answer, as its {@link ErrorCodes} read it
     * @param httpStatus the answer's status, when it was not a 2xx; empty for an error in a 200 answer
     * @param retryAfter how long the exchange asked to wait ({@code Retry-After}), when it said
     * @return the typed exception for that error: by the code's kind, else by the HTTP status
     */
    public ConnectorException exchangeError(String endpoint, ExchangeError error, Optional<Integer> httpStatus,
                                            Optional<Duration> retryAfter) {
        String text = error.text();
        return switch (error.kind()) {
            case RATE_LIMIT -> new RateLimitException(source, endpoint + ": rate limit exceeded (" + text + ")",
                    retryAfter);
            case CLOCK_SKEW -> clockSkew(endpoint, text);
            case KEY_REFUSED -> keyRefused(endpoint, text, false);
            case PASSPHRASE_REFUSED -> keyRefused(endpoint, text, true);
            case KEY_OR_CLOCK_REFUSED -> new AuthenticationException(source, endpoint + ": the API key or the "
                    + "request's signature was refused (" + text + "): check " + keys(false) + " and the key's read "
                    + "permissions; the exchange refuses a request signed with a clock too far off the same way, so "
                    + "if the keys are right the likely cause is clock skew: sync this machine's clock (NTP)");
            case IP_NOT_ALLOWED -> new AuthenticationException(source, endpoint + ": this machine's IP address is "
                    + "not on the key's IP allow-list (" + text + "): add it in the exchange's API settings");
            case UNAVAILABLE -> new NetworkException(source, endpoint, "the exchange answered that it is "
                    + "unavailable or busy (" + text + ")", null);
            case OTHER -> httpStatus.isPresent() ? byStatus(endpoint, httpStatus.get(), text, retryAfter)
                    : new DataFetchException(source, endpoint, "the exchange answered with an error: " + text, null);
        };
    }

    /** @return the typed exception for an error answer in the exchange's own body, without a status */
    public ConnectorException exchangeError(String endpoint, ExchangeError error) {
        return exchangeError(endpoint, error, Optional.empty(), Optional.empty());
    }

    /**
     * @param status     a status that is not a 2xx
     * @param body       the answer's body: the exchange's error JSON is read by its code; any other body is only shown
     * @param retryAfter how long the exchange asked to wait, when it said
     * @return the typed exception for an answer with that status and body
     */
    public ConnectorException httpError(String endpoint, int status, String body, Optional<Duration> retryAfter) {
        return errorCodes.read(body)
                .map(error -> exchangeError(endpoint, error, Optional.of(status), retryAfter))
                .orElseGet(() -> byStatus(endpoint, status, snippet(body), retryAfter));
    }

    /** With several accounts of one exchange configured, the user must know which account's keys to fix. */
    private String keys(boolean passphrase) {
        String at = "crypto_exchanges." + source + ".";
        return at + "api_key, " + at + "api_secret" + (passphrase ? ", " + at + "passphrase" : "");
    }

    /**
     * Turns what an XChange call threw into FolioSync's types, by the exception's type and HTTP status only:
     * the message is shown to the user, never matched. An XChange error of no finer type (an exchange error
     * XChange did not map) is a plain, not retried {@link DataFetchException}.
     */
    ConnectorException translate(String endpoint, Exception e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof RateLimitExceededException || e instanceof FrequencyLimitExceededException) {
            return new RateLimitException(source, endpoint + ": rate limit exceeded (" + text + ")", Optional.empty());
        }
        if (e instanceof NonceException) {
            return clockSkew(endpoint, text);
        }
        if (e instanceof ExchangeSecurityException) {
            return new AuthenticationException(source, endpoint + ": the API key was refused (" + text
                    + "): check " + keys(false) + " and the key's permissions", e);
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            return DataFetchException.malformed(source, endpoint, null, null,
                    "malformed response: " + jpe.getOriginalMessage(), e);
        }
        if (e instanceof HttpStatusIOException hs) {
            // rescu kept the body: the exchange's error code in it decides, as in the module's own calls.
            return httpError(endpoint, hs.getHttpStatusCode(), hs.getHttpBody(), Optional.empty());
        }
        if (e instanceof HttpStatusExceptionSupport hs && hs.getHttpStatusCode() > 0) {
            return byStatus(endpoint, hs.getHttpStatusCode(), text, Optional.empty());
        }
        if (e instanceof ExchangeUnavailableException) {
            return new NetworkException(source, endpoint, "the exchange is unavailable: " + text, e);
        }
        if (e instanceof ExchangeException || e instanceof HttpStatusExceptionSupport) {
            return new DataFetchException(source, endpoint, "the exchange answered with an error: " + text, e);
        }
        if (e instanceof IOException io) {
            return UntrustedCertificateException.findCertificateFailure(io).isPresent()
                    ? new UntrustedCertificateException(source, baseUrl.host(), baseUrl.port(), null, io)
                    : NetworkException.of(source, endpoint, io);
        }
        return DataFetchException.malformed(source, endpoint, null, null, "unexpected response: " + text, e);
    }

    private ConnectorException byStatus(String endpoint, int status, String text, Optional<Duration> retryAfter) {
        if (status == 429) {
            return new RateLimitException(source, endpoint + ": HTTP 429: rate limit exceeded (" + text + ")",
                    retryAfter);
        }
        if (status == 401 || status == 403) {
            return keyRefused(endpoint, text, false);
        }
        return new HttpStatusException(source, endpoint, status, retryAfter, text);
    }

    private AuthenticationException clockSkew(String endpoint, String text) {
        return new AuthenticationException(source, endpoint + ": the exchange rejected the request's nonce or "
                + "timestamp (" + text + "): the likely cause is clock skew; sync this machine's clock (NTP), "
                + "and do not share one API key between two programs");
    }

    private AuthenticationException keyRefused(String endpoint, String text, boolean passphrase) {
        return new AuthenticationException(source, endpoint + ": the API key was refused (" + text + "): check "
                + keys(passphrase) + " and the key's read permissions");
    }

    /** @return the start of an answer body, for a message: bodies can be long, and a message is one line to read */
    static String snippet(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
