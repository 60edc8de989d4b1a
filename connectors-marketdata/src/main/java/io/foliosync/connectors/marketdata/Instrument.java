package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What the market-data chain is asked to price, in the terms of the source that reported it: the symbol as
 * the broker or exchange spells it ({@code BTC}, {@code BRK.B}, {@code EURUSD}, {@code VOD}), its asset class,
 * the currency it is held or quoted in, and its listing exchange when known. Each provider turns an
 * instrument into its own symbol ({@code BTC-USD}, {@code BRK-B}, {@code EURUSD=X}, {@code VOD.L} on Yahoo);
 * the rules and the per-provider {@code symbol_map} that overrides them are described in
 * {@code docs/setup_guides/marketdata_setup.md}. Answers keep reporting this symbol.
 *
 * @param symbol     the source's symbol; never blank
 * @param assetClass the asset class; {@link AssetClass#OTHER} when unknown
 * @param currency   the currency the holding is valued in by its source (a crypto holding's quote currency);
 *                   empty when unknown
 * @param exchange   the listing exchange as the source names it ({@code LSE}, {@code IBIS}, {@code XLON});
 *                   empty when unknown
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Instrument(String symbol, AssetClass assetClass, Optional<String> currency,
                         Optional<String> exchange) {
    public Instrument {
        Checks.text("Instrument", "symbol", symbol);
        symbol = symbol.trim();
        Objects.requireNonNull(assetClass, "Instrument.assetClass");
        Checks.currency("Instrument", "currency", currency);
        Checks.optional("Instrument", "exchange", exchange);
        exchange = exchange.map(e -> e.trim().toUpperCase(Locale.ROOT)).filter(e -> !e.isEmpty());
    }

    /** @return an instrument known only by its symbol: provider rules that need more leave it as it is */
    public static Instrument of(String symbol) {
        return new Instrument(symbol, AssetClass.OTHER, Optional.empty(), Optional.empty());
    }

    /** @return an instrument of a given class held in a given currency, exchange unknown */
    public static Instrument of(String symbol, AssetClass assetClass, String currency) {
        return new Instrument(symbol, assetClass, Optional.of(currency), Optional.empty());
    }

    /**
     * @return the holding's instrument: its symbol, asset class and currency, and the exchange from its
     * {@code listingExchange} (IBKR) or {@code exchange} attribute
     */
    public static Instrument of(Holding holding) {
        Optional<String> exchange = Optional.ofNullable(holding.attributes().get("listingExchange"))
                .or(() -> Optional.ofNullable(holding.attributes().get("exchange")))
                .filter(e -> !e.isBlank());
        return new Instrument(holding.symbol(), holding.assetClass(), Optional.of(holding.currency()), exchange);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(symbol);
        if (assetClass != AssetClass.OTHER) {
            sb.append(' ').append(assetClass);
        }
        currency.ifPresent(c -> sb.append(" in ").append(c));
        exchange.ifPresent(e -> sb.append(" on ").append(e));
        return sb.toString();
    }
}
