package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.FxRate;
import io.foliosync.connectors.api.Holding;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A holding valued in the base currency, with where each number came from.
 *
 * @param holding       the holding as its connector reported it
 * @param price         the price used, quoted as {@code terms} say; empty when no price was found
 * @param priceCurrency the price's currency: the provider's when stated, else the holding's
 * @param priceDate     the price's day; empty when unknown (a source's price of unknown age)
 * @param priceSource   the provider that served the price ({@code yahoo}), {@code cash} for cash, or
 *                      {@code holding:<source>} for the price the holding's source reported
 * @param providerSymbol the symbol the provider was asked for ({@code BTC-USD} for a {@code BTC} holding);
 *                      empty for cash, the holding's own price, or no price
 * @param marketValue   {@code terms.value(quantity, price)} in {@code priceCurrency}; empty without a price
 * @param fxRate        the rate from {@code priceCurrency} to the base currency, with its date and source;
 *                      empty without a price or when no rate was found
 * @param baseValue     the market value in the base currency (not rounded); empty when price or rate is missing
 * @param stale         whether the price or the rate is older than the valuator's {@code stale_after}, or of
 *                      unknown age
 * @param problems      why something is missing or stale, for a person; empty when all is well
 * @param priceOrigin   whether the price is the source's own, a market-data quote, cash, or missing
 * @param priceAsOf     when the price was the price; empty when unknown
 * @param terms         the multiplier and price convention the value was computed with
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ValuedHolding(Holding holding, Optional<BigDecimal> price, String priceCurrency,
                            Optional<LocalDate> priceDate, Optional<String> priceSource,
                            Optional<String> providerSymbol, Optional<BigDecimal> marketValue, Optional<FxRate> fxRate,
                            Optional<BigDecimal> baseValue, boolean stale, List<String> problems,
                            PriceOrigin priceOrigin, Optional<Instant> priceAsOf, ContractTerms terms) {
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
        Objects.requireNonNull(priceOrigin, "ValuedHolding.priceOrigin");
        Checks.optional("ValuedHolding", "priceAsOf", priceAsOf);
        Objects.requireNonNull(terms, "ValuedHolding.terms");
    }

    /** @return whether the holding has a value in the base currency */
    public boolean valued() {
        return baseValue.isPresent();
    }

    /** @return how old the price was at {@code now}; empty when its time is unknown */
    public Optional<Duration> priceAge(Instant now) {
        return priceAsOf.map(at -> at.isAfter(now) ? Duration.ZERO : Duration.between(at, now));
    }

    /** @return why this holding is left out of a total; empty when it is valued */
    public Optional<Exclusion.Reason> exclusionReason() {
        if (valued()) {
            return Optional.empty();
        }
        if (price.isEmpty()) {
            return Optional.of(Exclusion.Reason.NO_PRICE);
        }
        return Optional.of(CurrencyCodes.isWellFormed(priceCurrency) ? Exclusion.Reason.NO_FX_RATE
                : Exclusion.Reason.UNKNOWN_CURRENCY);
    }
}
