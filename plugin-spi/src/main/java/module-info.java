/**
 * Bank plugins: discovery, validation, trust and loading ({@code PluginManager}, experimental), and the
 * {@code plugins} section as a {@code ConnectorProvider}.
 */
module io.foliosync.plugins {
    requires transitive io.foliosync.connectors.api;
    requires org.slf4j;
    requires org.yaml.snakeyaml;
    requires org.objectweb.asm;

    exports io.foliosync.plugins;

    uses io.foliosync.connectors.api.BankIntegrationPlugin;

    provides io.foliosync.connectors.api.config.ConnectorProvider
            with io.foliosync.plugins.BankPluginConnectorProvider;
}
