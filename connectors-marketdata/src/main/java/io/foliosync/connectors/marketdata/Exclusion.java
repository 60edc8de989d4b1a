package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A holding a {@link Valuation}'s total leaves out, and why.
 *
 * @param holding     the holding left out, valued as far as it could be
 * @param reason      why it has no value in the base currency
 * @param currency    the currency its price is in (the holding's own when it has no price)
 * @param localValue  what it is worth in {@code currency}, when a price was found (the rate is what is missing)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Exclusion(ValuedHolding holding, Reason reason, String currency, Optional<BigDecimal> localValue) {
    /** Why a holding has no value in the base currency. */
    public enum Reason {
        /** Neither its source nor a market-data provider prices it. */
        NO_PRICE,
        /** It is priced, but no rate converts its currency to the base currency. */
        NO_FX_RATE,
        /** Its currency is not a currency code a rate could be asked for. */
        UNKNOWN_CURRENCY;

        /** @return the reason in a person's words */
        public String describe() {
            return switch (this) {
                case NO_PRICE -> "no price";
                case NO_FX_RATE -> "no FX rate";
                case UNKNOWN_CURRENCY -> "not a currency code";
            };
        }

        /** @return the value JSON and CSV carry, such as {@code no_fx_rate} */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Exclusion {
        Objects.requireNonNull(holding, "Exclusion.holding");
        Objects.requireNonNull(reason, "Exclusion.reason");
        Checks.text("Exclusion", "currency", currency);
        Checks.optional("Exclusion", "localValue", localValue);
    }
}
