package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** Where the price a {@link ValuedHolding} was valued at came from. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum PriceOrigin {
    /** The price the holding's own source reported with it (a broker's mark, an exchange's ticker). */
    SOURCE,
    /** A quote or close from a market-data provider. */
    MARKET_DATA,
    /** Cash: one unit of its currency is worth 1 of it. */
    CASH,
    /** No price was found: the holding is left out of totals. */
    NONE
}
