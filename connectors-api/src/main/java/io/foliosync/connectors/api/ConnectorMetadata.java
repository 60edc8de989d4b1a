package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * What a connector is, for listings and configuration checks.
 *
 * @param name                  the connector's id, such as {@code kraken} or {@code schwab}; never blank
 * @param type                  what kind of source it talks to
 * @param version               the connector's own version
 * @param description           one sentence for a user
 * @param supportedAssetClasses the asset classes it can return; may be empty, never null
 * @param requiresOAuth         whether a user must authorize it in a browser first
 * @param requiresApiKey        whether it needs an API key from configuration
 * @param rateLimitPerMinute    the source's documented limit, when it has one
 * @param documentation         where the source's API is documented
 */
@API(status = STABLE, since = "0.1")
public record ConnectorMetadata(
        String name,
        ConnectorType type,
        String version,
        String description,
        Set<AssetClass> supportedAssetClasses,
        boolean requiresOAuth,
        boolean requiresApiKey,
        Optional<Integer> rateLimitPerMinute,
        Optional<URI> documentation) {

    public ConnectorMetadata {
        Fields.requiredText("ConnectorMetadata", "name", name);
        Fields.required("ConnectorMetadata", "type", type);
        Fields.requiredText("ConnectorMetadata", "version", version);
        Fields.required("ConnectorMetadata", "description", description);
        supportedAssetClasses = Set.copyOf(Fields.required("ConnectorMetadata", "supportedAssetClasses",
                supportedAssetClasses));
        Fields.optional("ConnectorMetadata", "rateLimitPerMinute", rateLimitPerMinute)
                .filter(n -> n <= 0)
                .ifPresent(n -> {
                    throw new IllegalArgumentException(
                            "ConnectorMetadata.rateLimitPerMinute must be positive but was " + n);
                });
        Fields.optional("ConnectorMetadata", "documentation", documentation);
    }
}
