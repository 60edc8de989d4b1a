package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The economics of an instrument that turn a quantity and a price into money: its contract multiplier (100 for
 * a US equity option, the contract size of a future, 1 for a share or a coin) and its {@link PriceConvention}.
 * Validation, holdings' market value, valuation and reconciliation all price through {@link #value}; nothing
 * else multiplies quantity by price.
 *
 * <p>A record carries its terms in two attributes, {@value #MULTIPLIER} and {@value #PRICE_CONVENTION}, so
 * they are stored with it and read back unchanged; connectors set them with the records' builders
 * ({@code Holding.Builder#terms}, {@code Transaction.Builder#terms}). Where a record states none, the
 * defaults of its asset class apply: see {@link #defaultsFor(AssetClass)}.
 *
 * @param multiplier      units of the underlying per unit of quantity; positive
 * @param priceConvention how the price is quoted
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ContractTerms(BigDecimal multiplier, PriceConvention priceConvention) {
    /** The attribute holding the contract multiplier, as a plain decimal. */
    public static final String MULTIPLIER = "multiplier";
    /** The attribute holding the {@link PriceConvention}, as {@link PriceConvention#attributeValue()}. */
    public static final String PRICE_CONVENTION = "price_convention";
    /** A share, a coin, cash: quantity × price. */
    public static final ContractTerms PER_UNIT = new ContractTerms(BigDecimal.ONE, PriceConvention.PER_UNIT);
    /** A standard US equity option: 100 shares per contract, priced per share. */
    public static final ContractTerms US_EQUITY_OPTION =
            new ContractTerms(BigDecimal.valueOf(100), PriceConvention.PER_UNIT);
    /** A bond or bill quoted in percent of the face value held. */
    public static final ContractTerms PERCENT_OF_PAR = new ContractTerms(BigDecimal.ONE, PriceConvention.PERCENT_OF_PAR);

    private static final String R = "ContractTerms";

    public ContractTerms {
        Fields.required(R, "multiplier", multiplier);
        if (multiplier.signum() <= 0) {
            throw new IllegalArgumentException(R + ".multiplier must be positive but was " + multiplier.toPlainString());
        }
        multiplier = multiplier.stripTrailingZeros();
        Fields.required(R, "priceConvention", priceConvention);
    }

    /** @return terms with this multiplier, priced per unit of the underlying */
    public static ContractTerms multiplier(BigDecimal multiplier) {
        return new ContractTerms(multiplier, PriceConvention.PER_UNIT);
    }

    /**
     * The terms that apply when a source states none: a US equity option for {@link AssetClass#OPTION}, percent
     * of par for {@link AssetClass#BOND} (how every broker FolioSync reads quotes bonds and bills), one unit
     * otherwise.
     */
    public static ContractTerms defaultsFor(AssetClass assetClass) {
        return switch (Objects.requireNonNull(assetClass, "assetClass")) {
            case OPTION -> US_EQUITY_OPTION;
            case BOND -> PERCENT_OF_PAR;
            default -> PER_UNIT;
        };
    }

    /**
     * Reads the terms a record's attributes state, falling back to {@code defaults} for what they do not. A
     * multiplier that is not a positive number counts as not stated: IBKR writes {@code 0} or nothing for
     * instruments that have none.
     */
    public static ContractTerms from(Map<String, String> attributes, ContractTerms defaults) {
        BigDecimal multiplier = defaults.multiplier;
        String m = attributes.get(MULTIPLIER);
        if (m != null) {
            try {
                BigDecimal stated = new BigDecimal(m.trim());
                if (stated.signum() > 0) {
                    multiplier = stated;
                }
            } catch (NumberFormatException e) {
                // not stated in a usable form: the default stands (the raw text stays in the attributes)
            }
        }
        PriceConvention convention = PriceConvention.fromAttribute(attributes.get(PRICE_CONVENTION))
                .orElse(defaults.priceConvention);
        return new ContractTerms(multiplier, convention);
    }

    /** @return what one unit of quantity is worth at a price of 1: multiplier × the convention's factor */
    public BigDecimal valueFactor() {
        return priceConvention.factor(multiplier);
    }

    /**
     * @return quantity × price × multiplier × the convention's factor: the money a position or a trade of
     *         {@code quantity} at {@code price} is worth, in the price's currency, not rounded
     */
    public BigDecimal value(BigDecimal quantity, BigDecimal price) {
        return quantity.multiply(price).multiply(valueFactor());
    }

    /** @return whether these are the terms of a plain unit (quantity × price) */
    public boolean isPerUnit() {
        return valueFactor().compareTo(BigDecimal.ONE) == 0;
    }

    /** Writes these terms into a record's attributes (used by the records' builders). */
    void writeTo(Map<String, String> attributes) {
        attributes.put(MULTIPLIER, multiplier.toPlainString());
        attributes.put(PRICE_CONVENTION, priceConvention.attributeValue());
    }

    @Override
    public String toString() {
        return "×" + multiplier.toPlainString() + " " + priceConvention.attributeValue();
    }
}
