/** Crypto exchanges (Kraken, OKX, Binance, Coinbase, Gate.io, HTX), reached through {@code ConnectorProvider} alone. */
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
    requires rescu;
    requires com.fasterxml.jackson.core;

    provides io.foliosync.connectors.api.config.ConnectorProvider
            with io.foliosync.connectors.crypto.CryptoExchangeConnectorProvider;
}
