package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.http.RateLimiter;
import io.foliosync.connectors.api.http.RetryPolicy;
import io.foliosync.connectors.api.secrets.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * A provider's configuration, read from {@code market_data.<provider>}.
 *
 * @param id          the provider id
 * @param baseUrl     where its API answers
 * @param apiKey      its key, when it needs one
 * @param cacheTtl    how long answers are reused
 * @param rateLimiter the limiter shared per provider and key
 * @param retryPolicy how failed calls are retried before handing over
 * @param batchSize   symbols per request where the provider serves many at once
 * @param outputSize  Alpha Vantage's TIME_SERIES_DAILY outputsize: auto, compact or full
 * @param historyMaxSymbols how many symbols' histories Tiingo keeps in memory at most
 * @param clock       the clock "today" is taken from
 */
record ProviderSettings(String id, HttpUrl baseUrl, Optional<Secret> apiKey, Duration cacheTtl,
                        Optional<RateLimiter> rateLimiter, RetryPolicy retryPolicy, int batchSize,
                        String outputSize, int historyMaxSymbols, Clock clock) {
}
