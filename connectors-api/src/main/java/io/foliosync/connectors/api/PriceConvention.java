package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * How a source quotes an instrument's price, which decides what quantity × price is worth: see
 * {@link ContractTerms#value(BigDecimal, BigDecimal)}.
 */
@API(status = STABLE, since = "0.1")
public enum PriceConvention {
    /**
     * The price of one unit of the underlying: a share, a coin, one unit of an option's underlying. A contract
     * is worth price × {@link ContractTerms#multiplier()}.
     */
    PER_UNIT,
    /** The price of one whole contract, multiplier included: the multiplier does not apply again. */
    PER_CONTRACT,
    /**
     * Percent of face value, as brokers quote bonds and bills: the quantity is the face value held
     * (10,000 for ten 1,000 bonds) and a price of 98.50 means 98.5 % of it.
     */
    PERCENT_OF_PAR;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** @return the value stored in a record's {@value ContractTerms#PRICE_CONVENTION} attribute */
    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the convention an attribute value names, when it names one */
    public static Optional<PriceConvention> fromAttribute(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (PriceConvention c : values()) {
            if (c.attributeValue().equalsIgnoreCase(value.trim())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** @return what one unit of quantity at price 1 is worth, given the contract's multiplier */
    BigDecimal factor(BigDecimal multiplier) {
        return switch (this) {
            case PER_UNIT -> multiplier;
            case PER_CONTRACT -> BigDecimal.ONE;
            case PERCENT_OF_PAR -> multiplier.divide(HUNDRED);
        };
    }
}
