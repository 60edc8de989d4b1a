/**
 * The model and the SPI every FolioSync module builds on: records ({@code Account}, {@code Holding},
 * {@code Transaction}, …), {@code Connector}, {@code BankIntegrationPlugin}, {@code ConnectorProvider} and the sink SPI
 * ({@code Sink}, {@code SinkProvider}). The
 * connector support packages (HTTP, JSON, response cache, secrets) are exported to FolioSync's own modules only.
 */
module io.foliosync.connectors.api {
    requires transitive org.apiguardian.api;
    requires org.slf4j;
    requires okhttp3;
    requires okio;
    requires com.squareup.moshi;
    requires io.github.bucket4j.core;
    requires com.github.benmanes.caffeine;

    exports io.foliosync.connectors.api;
    exports io.foliosync.connectors.api.config;
    exports io.foliosync.connectors.api.sink;

    exports io.foliosync.connectors.api.http to
            io.foliosync.connectors.crypto, io.foliosync.connectors.ibkr, io.foliosync.connectors.schwab,
            io.foliosync.connectors.marketdata, io.foliosync.imports, io.foliosync.examples;
    exports io.foliosync.connectors.api.json to
            io.foliosync.connectors.crypto, io.foliosync.connectors.schwab, io.foliosync.connectors.marketdata,
            io.foliosync.imports, io.foliosync.examples;
    exports io.foliosync.connectors.api.cache to
            io.foliosync.connectors.crypto, io.foliosync.connectors.marketdata;
    exports io.foliosync.connectors.api.secrets to
            io.foliosync.connectors.crypto, io.foliosync.connectors.ibkr, io.foliosync.connectors.schwab,
            io.foliosync.connectors.marketdata, io.foliosync.plugins, io.foliosync.imports, io.foliosync.examples;
}
