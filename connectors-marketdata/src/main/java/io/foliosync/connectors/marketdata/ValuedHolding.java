package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.Holding;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A holding valued in the base currency, with where each number came from.
 *
 * @param holding       the holding as its connector reported it
 * @param price         the price per unit used; empty when no price was found
 * @param priceCurrency the price's currency: the provider's when stated, else the holding's
 * @param priceDate     the price's trading day; empty when unknown (a price taken from the holding itself)
 * @param priceSource   the provider that served the price ({@code yahoo}), {@code cash} for cash, or
 *                      {@code holding:<source>} when no provider priced it and the holding's own price was used
 * @param providerSymbol the symbol the provider was asked for ({@code BTC-USD} for a {@code BTC} holding);
 *                      empty for cash, the holding's own price, or no price
 * @param marketValue   quantity × price in {@code priceCurrency}; empty without a price
 * @param fxRate        the rate from {@code priceCurrency} to the base currency, with its date and source;
 *                      empty without a price or when no rate was found
 * @param baseValue     the market value in the base currency (not rounded); empty when price or rate is missing
 * @param stale         whether the price or the rate is older than the valuator's {@code stale_after}, or of
 *                      unknown age
 * @param problems      why something is missing or stale, for a person; empty when all is well
 */
public record ValuedHolding(Holding holding, Optional<BigDecimal> price, String priceCurrency,
                            Optional<LocalDate> priceDate, Optional<String> priceSource,
                            Optional<String> providerSymbol, Optional<BigDecimal> marketValue, Optional<FxRate> fxRate,
                            Optional<BigDecimal> baseValue, boolean stale, List<String> problems) {
    public ValuedHolding {
        Objects.requireNonNull(holding, "ValuedHolding.holding");
        Checks.optional("ValuedHolding", "price", price);
        Checks.currency("ValuedHolding", "priceCurrency", priceCurrency);
        Checks.optional("ValuedHolding", "priceDate", priceDate);
        Checks.optional("ValuedHolding", "priceSource", priceSource);
        Checks.optional("ValuedHolding", "providerSymbol", providerSymbol);
        Checks.optional("ValuedHolding", "marketValue", marketValue);
        Checks.optional("ValuedHolding", "fxRate", fxRate);
        Checks.optional("ValuedHolding", "baseValue", baseValue);
        problems = List.copyOf(problems);
    }

    /** @return whether the holding has a value in the base currency */
    public boolean valued() {
        return baseValue.isPresent();
    }
}
