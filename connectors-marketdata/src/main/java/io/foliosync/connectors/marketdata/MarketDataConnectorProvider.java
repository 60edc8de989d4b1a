package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import java.util.List;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link MarketDataConnector} from the {@code market_data} section of {@code data_sources.yaml};
 * registered in {@code META-INF/services}. The keys are documented in
 * {@code docs/setup_guides/marketdata_setup.md}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MarketDataConnectorProvider implements ConnectorProvider {
    public static final String SECTION = "market_data";
    private static final Logger LOG = LoggerFactory.getLogger(MarketDataConnectorProvider.class);

    @Override
    public String configSection() {
        return SECTION;
    }

    @Override
    public List<Connector> create(ConfigSection section, ConnectorContext context) {
        if (section.keys().isEmpty() || !MarketDataConfig.enabled(section)) {
            return List.of();
        }
        if (MarketDataConfig.everyProviderDisabled(section)) {
            // Prices only value holdings: an account sync needs none, so a switched-off chain must not stop it.
            LOG.warn("{}: every provider named in primary_provider and fallback_providers is disabled; valuation "
                    + "is off until one is enabled", section.path());
            return List.of();
        }
        return List.of(MarketDataConnector.fromConfig(section, context));
    }
}
