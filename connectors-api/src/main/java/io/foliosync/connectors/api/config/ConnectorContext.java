package io.foliosync.connectors.api.config;

import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the SDK hands a {@link ConnectorProvider} besides the connector's own configuration.
 *
 * @param clock            the clock every time decision uses
 * @param dataDirectory    where a connector may keep files (token stores, pinned certificates)
 * @param cipher           encrypts anything secret a connector stores
 * @param rateLimiters     the registry that shares limits per provider and key
 * @param responseCacheTtl how long a cached response (quotes, tickers) is reused when the connector's own section
 *                         sets nothing ({@code global.cache_duration}); empty for each connector's default
 */
public record ConnectorContext(Clock clock, Path dataDirectory, SecretCipher cipher,
                               RateLimiterRegistry rateLimiters, Optional<Duration> responseCacheTtl) {
    public ConnectorContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(rateLimiters, "rateLimiters");
        Objects.requireNonNull(responseCacheTtl, "responseCacheTtl");
        responseCacheTtl.filter(Duration::isNegative).ifPresent(d -> {
            throw new IllegalArgumentException("responseCacheTtl must not be negative but was " + d);
        });
    }

    /** A context with each connector's default cache lifetime. */
    public ConnectorContext(Clock clock, Path dataDirectory, SecretCipher cipher, RateLimiterRegistry rateLimiters) {
        this(clock, dataDirectory, cipher, rateLimiters, Optional.empty());
    }
}
