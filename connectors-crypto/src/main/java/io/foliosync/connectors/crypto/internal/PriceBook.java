package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Last prices of an exchange's markets, keyed by normalized base and quote, and the valuation of an asset in a
 * quote currency: 1 for the quote itself, the direct pair (either way round), else through USDT, USDC or BTC,
 * else, for a US-dollar stablecoin valued in USD, par. Never invents a price: empty when no path exists.
 */
@API(status = INTERNAL, since = "0.1")
public final class PriceBook {
    static final MathContext MC = MathContext.DECIMAL64;
    private static final List<String> INTERMEDIATES = List.of("USDT", "USDC", "BTC", "USD", "EUR");
    private final Map<String, Map<String, BigDecimal>> last = new HashMap<>();

    /**
     * A price and how it was found.
     *
     * @param price the price of one unit in the quote currency
     * @param path  how: {@code identity}, {@code ETH/USD}, {@code 1/USD/ETH}, {@code ETH/USDT*USDT/USD}, {@code peg}
     */
    public record Quote(BigDecimal price, String path) {
    }

    /** Records a market's last price; non-positive prices are ignored. */
    public PriceBook put(String base, String quote, BigDecimal price) {
        if (price != null && price.signum() > 0) {
            last.computeIfAbsent(base, k -> new HashMap<>()).put(quote, price);
        }
        return this;
    }

    public int size() {
        return last.values().stream().mapToInt(Map::size).sum();
    }

    /** @return the price of {@code asset} in {@code quote}, when the exchange's markets give one */
    public Optional<Quote> value(String asset, String quote) {
        if (asset.equals(quote)) {
            return Optional.of(new Quote(BigDecimal.ONE, "identity"));
        }
        Optional<Quote> direct = direct(asset, quote);
        if (direct.isPresent()) {
            return direct;
        }
        for (String via : INTERMEDIATES) {
            if (via.equals(asset) || via.equals(quote)) {
                continue;
            }
            Optional<Quote> first = direct(asset, via);
            Optional<Quote> second = first.isPresent() ? direct(via, quote) : Optional.empty();
            if (second.isPresent()) {
                return Optional.of(new Quote(first.get().price().multiply(second.get().price(), MC),
                        first.get().path() + "*" + second.get().path()));
            }
        }
        if ("USD".equals(quote) && AssetCodes.USD_STABLECOINS.contains(asset)) {
            return Optional.of(new Quote(BigDecimal.ONE, "peg"));
        }
        return Optional.empty();
    }

    private Optional<Quote> direct(String base, String quote) {
        BigDecimal p = last.getOrDefault(base, Map.of()).get(quote);
        if (p != null) {
            return Optional.of(new Quote(p, base + "/" + quote));
        }
        BigDecimal inverse = last.getOrDefault(quote, Map.of()).get(base);
        if (inverse != null) {
            return Optional.of(new Quote(BigDecimal.ONE.divide(inverse, MC), "1/" + quote + "/" + base));
        }
        return Optional.empty();
    }
}
