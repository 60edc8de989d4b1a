package io.foliosync.connectors.api.config;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.Connector;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Creates a module's connectors from its section of {@code data_sources.yaml}. Each connector module
 * registers one in {@code META-INF/services/io.foliosync.connectors.api.config.ConnectorProvider}, so
 * import-core builds every configured source without depending on connector modules.
 */
@API(status = STABLE, since = "0.1")
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

    /**
     * Where the section sets how often one of its sources syncs: the source's own entry
     * ({@code <section>.<sourceId>.sync_frequency}), else the section's ({@code <section>.sync_frequency}).
     * Providers whose layout keeps per-source settings elsewhere (a list of accounts) override this.
     *
     * @param section  the provider's section, interpolated
     * @param sourceId one of the sources {@link #create} made
     * @return the {@code sync_frequency} text (such as {@code hourly} or {@code 6h}); empty when the section sets
     *         none and the global default applies
     */
    default Optional<String> syncFrequency(ConfigSection section, String sourceId) {
        return section.section(sourceId).string("sync_frequency").or(() -> section.string("sync_frequency"));
    }
}
