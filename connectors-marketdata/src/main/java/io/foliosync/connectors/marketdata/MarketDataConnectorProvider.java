package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import java.util.List;

/**
 * Builds the {@link MarketDataConnector} from the {@code market_data} section of {@code data_sources.yaml};
 * registered in {@code META-INF/services}. The keys are documented in
 * {@code docs/setup_guides/marketdata_setup.md}.
 */
public final class MarketDataConnectorProvider implements ConnectorProvider {
    public static final String SECTION = "market_data";

    @Override
    public String configSection() {
        return SECTION;
    }

    @Override
    public List<Connector> create(ConfigSection section, ConnectorContext context) {
        if (section.keys().isEmpty() || !MarketDataConfig.enabled(section)) {
            return List.of();
        }
        return List.of(MarketDataConnector.fromConfig(section, context));
    }
}
