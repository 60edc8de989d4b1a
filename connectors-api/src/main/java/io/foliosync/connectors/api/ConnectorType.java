package io.foliosync.connectors.api;

/** What kind of source a connector talks to. */
public enum ConnectorType {
    BROKER,
    CRYPTO_EXCHANGE,
    MARKET_DATA,
    BANK,
    PLUGIN
}
