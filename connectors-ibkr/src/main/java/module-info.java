/**
 * Interactive Brokers (Client Portal gateway, Flex Web Service, Flex files), reached through
 * {@code ConnectorProvider}; the connector itself is exported to the bundled example programs only.
 */
module io.foliosync.connectors.ibkr {
    requires io.foliosync.connectors.api;
    requires java.xml;
    requires org.slf4j;
    requires okhttp3;

    exports io.foliosync.connectors.ibkr to io.foliosync.examples;

    provides io.foliosync.connectors.api.config.ConnectorProvider
            with io.foliosync.connectors.ibkr.IbkrConnectorProvider;
}
