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
 */
final class RetryInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);

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
        for (int attempt = 1; ; attempt++) {
            boolean lastAttempt = !retryable || attempt >= policy.maxAttempts();
            Response response;
            try {
                response = chain.proceed(request);
            } catch (IOException e) {
                if (lastAttempt || !isTransient(e, chain)) {
                    throw e;
                }
                Duration wait = policy.backoff(attempt, random);
                LOG.info("{}: {} {} failed ({}); retry {} of {} in {} ms", source, request.method(),
                        request.url().encodedPath(), e.getClass().getSimpleName(), attempt,
                        policy.maxAttempts() - 1, wait.toMillis());
                pause(wait);
                continue;
            }
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
