package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.crypto.SupportedExchange;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One exchange's documented error codes, each mapped to the family FolioSync reports it as (as XChange's error
 * adapters map them to its exception types). Each exchange has its own small classifier, keyed by the code in the
 * answer's structured error field: the exchange's wording of a message is never searched, and no client rewords its
 * errors for another class to recognise.
 */
@API(status = INTERNAL, since = "0.1")
public sealed interface ErrorCodes
        permits KrakenErrors, OkxErrors, BinanceErrors, CoinbaseErrors, GateioErrors, HtxErrors, XChangeErrors {

    /**
     * @param body an answer body, as the exchange sent it
     * @return the error held in the body's error fields; empty when the body is not the exchange's error JSON
     */
    Optional<ExchangeError> read(String body);

    /** @return the classifier of {@code exchange}'s codes */
    static ErrorCodes of(SupportedExchange exchange) {
        return switch (exchange) {
            case KRAKEN -> new KrakenErrors();
            case OKX -> new OkxErrors();
            case BINANCE -> new BinanceErrors();
            case COINBASE -> new CoinbaseErrors();
            case GATEIO -> new GateioErrors();
            case HTX -> new HtxErrors();
            case XCHANGE -> new XChangeErrors();
        };
    }
}
