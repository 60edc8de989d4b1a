/**
 * Crypto exchanges (Kraken, OKX, Binance, Coinbase, Gate.io, HTX first-class; any other XChange module on the path as
 * a generic account), reached through {@code ConnectorProvider} alone.
 */
module io.foliosync.connectors.crypto {
    requires io.foliosync.connectors.api;
    requires org.slf4j;
    requires okhttp3;
    requires io.github.bucket4j.core;
    requires xchange.core;
    requires xchange.binance;
    requires xchange.huobi;
    requires xchange.kraken;
    requires xchange.okex;
    // a generic account reads the limits XChange declares for its exchange (resilience4j's registries)
    requires io.github.resilience4j.ratelimiter;
    requires vavr; // the registries hand their limiters out as a vavr Seq
    // Bitstamp's own reader, when its module is on the path (the CLI ships it; the SDK leaves it to the application)
    requires static xchange.bitstamp;
    requires rescu;
    requires com.fasterxml.jackson.core;

    provides io.foliosync.connectors.api.config.ConnectorProvider
            with io.foliosync.connectors.crypto.CryptoExchangeConnectorProvider;
}
