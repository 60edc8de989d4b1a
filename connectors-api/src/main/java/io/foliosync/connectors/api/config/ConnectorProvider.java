package io.foliosync.connectors.api.config;

import io.foliosync.connectors.api.Connector;
import java.util.List;

/**
 * Creates a module's connectors from its section of {@code data_sources.yaml}. Each connector module
 * registers one in {@code META-INF/services/io.foliosync.connectors.api.config.ConnectorProvider}, so
 * import-core builds every configured source without depending on connector modules.
 */
public interface ConnectorProvider {

    /** @return the top-level configuration section this provider reads, such as {@code crypto_exchanges} */
    String configSection();

    /**
     * @param section the provider's section, interpolated
     * @param context clock, data directory, cipher and shared rate limiters
     * @return one connector per source the section enables (per account, Flex query or CSV folder: see
     *         {@link Connector#sourceId()}), each with a unique {@code sourceId()}; empty when the section
     *         enables none
     * @throws io.foliosync.connectors.api.ConfigurationException naming every missing or invalid key
     */
    List<Connector> create(ConfigSection section, ConnectorContext context);
}
