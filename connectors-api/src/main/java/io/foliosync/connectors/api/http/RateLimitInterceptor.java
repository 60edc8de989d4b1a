package io.foliosync.connectors.api.http;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Takes a permit before every attempt, retries included: the provider counts each one. A request resent because
 * its pooled connection had been closed by the server ({@link RetryInterceptor#UNCHARGED}) is not charged again:
 * the server never received the first.
 */
final class RateLimitInterceptor implements Interceptor {
    private final RateLimiter limiter;

    RateLimitInterceptor(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if (chain.request().tag(RetryInterceptor.Uncharged.class) == null) {
            limiter.acquire();
        }
        return chain.proceed(chain.request());
    }
}
