package io.foliosync.connectors.api.http;

import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.UntrustedCertificateException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries safe calls per {@link RetryPolicy}, deciding by exception type and status code only; gives up with the
 * last response or error. The one retry layer of every {@link ApiClient}-based connector.
 *
 * <p>A safe request that failed on a pooled connection the server had already closed
 * ({@link StaleConnectionException}) is sent again at once, on another connection, without a backoff, without
 * counting as an attempt and without taking another rate-limit permit ({@link #UNCHARGED}): the server never saw
 * it. That happens even under {@link RetryPolicy#none()}, whose callers retry whole calls themselves and would
 * otherwise back off and pay for a failure that was the pool's. OkHttp's own {@code retryOnConnectionFailure}
 * stays off: it would also resend requests that must never be sent twice.
 */
final class RetryInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);

    /**
     * Stale pooled connections passed over for one request before its failure counts: the pool keeps at most
     * five idle connections per address by default, each of which the server may have closed.
     */
    static final int MAX_STALE_CONNECTIONS = 5;

    /** The tag of a request resent after a stale connection: the rate limiter lets it through uncharged. */
    enum Uncharged { UNCHARGED }

    static final Uncharged UNCHARGED = Uncharged.UNCHARGED;

    private final String source;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Random random;

    RetryInterceptor(String source, RetryPolicy policy, Sleeper sleeper, Clock clock, Random random) {
        this.source = source;
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        boolean retryable = RequestSafety.isRetryable(request);
        int stale = 0;
        for (int attempt = 1; ; attempt++) {
            boolean lastAttempt = !retryable || attempt >= policy.maxAttempts();
            Response response;
            try {
                response = chain.proceed(stale == 0 ? request
                        : request.newBuilder().tag(Uncharged.class, UNCHARGED).build());
            } catch (StaleConnectionException e) {
                if (retryable && stale < MAX_STALE_CONNECTIONS && !chain.call().isCanceled()) {
                    stale++;
                    attempt--; // the server never saw it: not an attempt, no backoff
                    LOG.debug("{}: {} {}: the pooled connection was closed by the server; sending again on "
                            + "another", source, request.method(), request.url().encodedPath());
                    continue;
                }
                IOException cause = (IOException) e.getCause();
                if (lastAttempt || !isTransient(cause, chain)) {
                    throw cause;
                }
                stale = 0;
                Duration wait = policy.backoff(attempt, random);
                LOG.info("{}: {} {} failed ({}); retry {} of {} in {} ms", source, request.method(),
                        request.url().encodedPath(), cause.getClass().getSimpleName(), attempt,
                        policy.maxAttempts() - 1, wait.toMillis());
                pause(wait);
                continue;
            } catch (IOException e) {
                if (lastAttempt || !isTransient(e, chain)) {
                    throw e;
                }
                stale = 0;
                Duration wait = policy.backoff(attempt, random);
                LOG.info("{}: {} {} failed ({}); retry {} of {} in {} ms", source, request.method(),
                        request.url().encodedPath(), e.getClass().getSimpleName(), attempt,
                        policy.maxAttempts() - 1, wait.toMillis());
                pause(wait);
                continue;
            }
            stale = 0;
            if (!HttpStatusException.isTransientStatus(response.code()) || lastAttempt) {
                return response;
            }
            Optional<Duration> retryAfter = RetryAfter.of(response, clock);
            if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.maxRetryAfter()) > 0) {
                // Waiting out a long ban inside a call would hang the import; the caller reschedules.
                LOG.warn("{}: {} asked to wait {} s, more than the {} s cap: giving up", source,
                        request.url().encodedPath(), retryAfter.get().toSeconds(),
                        policy.maxRetryAfter().toSeconds());
                return response;
            }
            Duration backoff = policy.backoff(attempt, random);
            Duration wait = retryAfter.filter(ra -> ra.compareTo(backoff) > 0).orElse(backoff);
            LOG.info("{}: {} {} answered {}; retry {} of {} in {} ms", source, request.method(),
                    request.url().encodedPath(), response.code(), attempt, policy.maxAttempts() - 1,
                    wait.toMillis());
            response.close();
            pause(wait);
        }
    }

    /**
     * A cancelled or timed-out call (OkHttp's call timeout, an interrupt) must stop, whereas a read timeout on a
     * live call is a network hiccup like a reset. A certificate that is not trusted stays untrusted.
     */
    private static boolean isTransient(IOException e, Chain chain) {
        if (chain.call().isCanceled() || UntrustedCertificateException.findCertificateFailure(e).isPresent()) {
            return false;
        }
        return !(e instanceof InterruptedIOException) || e instanceof SocketTimeoutException;
    }

    private void pause(Duration wait) throws IOException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during retry backoff");
        }
    }
}
