package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** What kind of source a connector talks to. */
@API(status = STABLE, since = "0.1")
public enum ConnectorType {
    BROKER,
    CRYPTO_EXCHANGE,
    MARKET_DATA,
    BANK,
    PLUGIN
}
