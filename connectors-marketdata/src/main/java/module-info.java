/**
 * Market data (Tiingo, Yahoo, Alpha Vantage, FRED) as a connector, and the valuation built on it: {@code Valuator}
 * and its results are this module's experimental API.
 */
module io.foliosync.connectors.marketdata {
    requires transitive io.foliosync.connectors.api;
    requires org.slf4j;
    requires okhttp3;
    requires com.github.benmanes.caffeine;

    exports io.foliosync.connectors.marketdata;

    provides io.foliosync.connectors.api.config.ConnectorProvider
            with io.foliosync.connectors.marketdata.MarketDataConnectorProvider;
}
