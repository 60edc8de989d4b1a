package io.foliosync.connectors.crypto.internal;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.http.RateLimiter;
import io.foliosync.connectors.api.http.Sleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
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
 * Runs every call to one exchange: takes a permit from the shared limiter (for XChange calls, which bypass
 * OkHttp), turns XChange's and the exchange's errors into FolioSync's typed exceptions naming exchange and
 * endpoint, and retries "rate limit exceeded" answers with exponential backoff.
 */
public final class Calls {
    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

    /** A call that may throw what XChange throws. */
    @FunctionalInterface
    public interface IoCall<T> {
        T call() throws IOException;
    }

    private final String source;
    private final RateLimiter limiter;
    private final Sleeper sleeper;
    private final int maxAttempts;
    private final Duration initialBackoff;

    public Calls(String source, RateLimiter limiter, Sleeper sleeper, int maxAttempts, Duration initialBackoff) {
        this.source = source;
        this.limiter = limiter;
        this.sleeper = sleeper;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
    }

    public String source() {
        return source;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    /** Runs an XChange call: one permit per attempt. */
    public <T> T xchange(String endpoint, IoCall<T> call) {
        return retrying(endpoint, () -> {
            limiter.acquire();
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

    /** Runs an OkHttp call whose client already takes permits; retries rate-limit answers in the body. */
    public <T> T http(String endpoint, java.util.function.Supplier<T> call) {
        return retrying(endpoint, call);
    }

    private <T> T retrying(String endpoint, java.util.function.Supplier<T> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.get();
            } catch (RateLimitException e) {
                if (n >= maxAttempts) {
                    throw e;
                }
                Duration backoff = initialBackoff.multipliedBy(1L << (n - 1));
                Duration wait = e.retryAfter().filter(ra -> ra.compareTo(backoff) > 0).orElse(backoff);
                LOG.info("{}: {} rate limited; retry {} of {} in {} ms", source, endpoint, n, maxAttempts - 1,
                        wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** @return the typed exception for an error an exchange reported in its answer */
    public ConnectorException exchangeError(String endpoint, String text, Optional<Integer> httpStatus) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("rate limit") || lower.contains("too many requests") || lower.contains("50011")
                || lower.contains("requests too frequent") || lower.contains("egeneral:too many")
                || httpStatus.filter(s -> s == 429).isPresent()) {
            return new RateLimitException(source, endpoint + ": rate limit exceeded (" + text + ")",
                    Optional.empty());
        }
        if (lower.contains("nonce") || lower.contains("timestamp") || lower.contains("50102")
                || lower.contains("50112")) {
            return new AuthenticationException(source, endpoint + ": the exchange rejected the request's nonce or "
                    + "timestamp (" + text + "): the likely cause is clock skew; sync this machine's clock (NTP), "
                    + "and do not share one API key between two programs");
        }
        if (lower.contains("ip") && (lower.contains("not allowed") || lower.contains("whitelist")
                || lower.contains("50110"))) {
            return new AuthenticationException(source, endpoint + ": this machine's IP address is not on the key's "
                    + "IP allow-list (" + text + "): add it in the exchange's API settings");
        }
        if (lower.contains("invalid key") || lower.contains("invalid signature") || lower.contains("permission")
                || lower.contains("api key") || lower.contains("apikey") || lower.contains("passphrase")
                || lower.contains("50111") || lower.contains("50113") || lower.contains("50105")
                || lower.contains("50119") || lower.contains("50100") || lower.contains("50101")
                || httpStatus.filter(s -> s == 401 || s == 403).isPresent()) {
            return new AuthenticationException(source, endpoint + ": the API key was refused (" + text + "): check "
                    + "the key, secret" + (lower.contains("passphrase") ? ", passphrase" : "")
                    + " and the key's read permissions");
        }
        return httpStatus.isPresent()
                ? DataFetchException.httpStatus(source, endpoint, httpStatus.get(), text)
                : new DataFetchException(source, endpoint, "the exchange answered with an error: " + text, null);
    }

    ConnectorException translate(String endpoint, Exception e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof RateLimitExceededException || e instanceof FrequencyLimitExceededException) {
            return new RateLimitException(source, endpoint + ": rate limit exceeded (" + text + ")", Optional.empty());
        }
        if (e instanceof NonceException) {
            return exchangeError(endpoint, "nonce: " + text, Optional.empty());
        }
        if (e instanceof ExchangeSecurityException) {
            return new AuthenticationException(source, endpoint + ": the API key was refused (" + text
                    + "): check the key, secret and permissions", e);
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            return DataFetchException.malformed(source, endpoint, null, null,
                    "malformed response: " + jpe.getOriginalMessage(), e);
        }
        if (e instanceof HttpStatusIOException hs) {
            return exchangeError(endpoint, snippet(hs.getHttpBody()), Optional.of(hs.getHttpStatusCode()));
        }
        if (e instanceof HttpStatusExceptionSupport hs) {
            return exchangeError(endpoint, text, Optional.of(hs.getHttpStatusCode()).filter(s -> s > 0));
        }
        if (e instanceof ExchangeUnavailableException) {
            return new DataFetchException(source, endpoint, "the exchange is unavailable: " + text, e);
        }
        if (e instanceof ExchangeException) {
            return exchangeError(endpoint, text, Optional.empty());
        }
        if (e instanceof IOException) {
            return new DataFetchException(source, endpoint, "network error: " + e, e);
        }
        return DataFetchException.malformed(source, endpoint, null, null, "unexpected response: " + text, e);
    }

    private static String snippet(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
