/**
 * Charles Schwab (Trader API with OAuth 2, CSV exports), reached through {@code ConnectorProvider}; the login flow
 * and the token store are exported to the bundled CLI and console only.
 */
module io.foliosync.connectors.schwab {
    requires io.foliosync.connectors.api;
    requires jdk.httpserver;
    requires org.slf4j;
    requires okhttp3;
    requires org.apache.commons.csv;

    exports io.foliosync.connectors.schwab to io.foliosync.examples;
    exports io.foliosync.connectors.schwab.internal to io.foliosync.examples;

    provides io.foliosync.connectors.api.config.ConnectorProvider
            with io.foliosync.connectors.schwab.SchwabConnectorProvider;
}
