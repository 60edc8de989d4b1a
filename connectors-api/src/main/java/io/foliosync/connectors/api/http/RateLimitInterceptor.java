package io.foliosync.connectors.api.http;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Takes a permit before every attempt, retries included: the provider counts each one. */
final class RateLimitInterceptor implements Interceptor {
    private final RateLimiter limiter;

    RateLimitInterceptor(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        limiter.acquire();
        return chain.proceed(chain.request());
    }
}
