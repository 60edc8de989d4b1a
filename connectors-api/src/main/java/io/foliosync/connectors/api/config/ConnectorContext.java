package io.foliosync.connectors.api.config;

import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the SDK hands a {@link ConnectorProvider} besides the connector's own configuration.
 *
 * @param clock         the clock every time decision uses
 * @param dataDirectory where a connector may keep files (token stores, pinned certificates)
 * @param cipher        encrypts anything secret a connector stores
 * @param rateLimiters  the registry that shares limits per provider and key
 */
public record ConnectorContext(Clock clock, Path dataDirectory, SecretCipher cipher,
                               RateLimiterRegistry rateLimiters) {
    public ConnectorContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(rateLimiters, "rateLimiters");
    }
}
