package io.foliosync.connectors.api.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.CredentialStore;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What the SDK hands a {@link ConnectorProvider} besides the connector's own configuration.
 *
 * @param clock            the clock every time decision uses
 * @param dataDirectory    where a connector may keep files (token stores, pinned certificates)
 * @param cipher           encrypts anything secret a connector stores
 * @param rateLimiters     the registry that shares limits per provider and key
 * @param responseCacheTtl how long a cached response (quotes, tickers) is reused when the connector's own section
 *                         sets nothing ({@code global.cache_duration}); empty for each connector's default
 * @param credentials      where credentials entered once are kept encrypted (bank plugins' logins); without a
 *                         database, {@link #NO_CREDENTIALS}
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ConnectorContext(Clock clock, Path dataDirectory, SecretCipher cipher,
                               RateLimiterRegistry rateLimiters, Optional<Duration> responseCacheTtl,
                               CredentialStore credentials) {
    /** A store that holds nothing: for a context without a database. */
    public static final CredentialStore NO_CREDENTIALS = new CredentialStore() {
        @Override
        public void save(String ownerId, Map<String, String> values) {
            throw new ConfigurationException(ownerId, "credentials cannot be saved without a database: open "
                    + "FolioSync (or the foliosync command) with a database to store them encrypted");
        }

        @Override
        public Optional<Map<String, String>> load(String ownerId) {
            return Optional.empty();
        }

        @Override
        public void delete(String ownerId) {
            // nothing is stored
        }
    };

    public ConnectorContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(rateLimiters, "rateLimiters");
        Objects.requireNonNull(responseCacheTtl, "responseCacheTtl");
        Objects.requireNonNull(credentials, "credentials");
        responseCacheTtl.filter(Duration::isNegative).ifPresent(d -> {
            throw new IllegalArgumentException("responseCacheTtl must not be negative but was " + d);
        });
    }

    /** A context with each connector's default cache lifetime and no credential store. */
    public ConnectorContext(Clock clock, Path dataDirectory, SecretCipher cipher, RateLimiterRegistry rateLimiters) {
        this(clock, dataDirectory, cipher, rateLimiters, Optional.empty(), NO_CREDENTIALS);
    }

    /** @return this context with {@code ttl} as the default response-cache lifetime */
    public ConnectorContext withResponseCacheTtl(Duration ttl) {
        return new ConnectorContext(clock, dataDirectory, cipher, rateLimiters, Optional.of(ttl), credentials);
    }

    /** @return this context with {@code store} for credentials kept encrypted */
    public ConnectorContext withCredentials(CredentialStore store) {
        return new ConnectorContext(clock, dataDirectory, cipher, rateLimiters, responseCacheTtl, store);
    }
}
