package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A position held in an account at one moment: units of an instrument, or cash in one currency.
 *
 * @param symbol       the instrument's symbol (for cash: the currency code); never blank
 * @param name         the instrument's name, when the source gives one
 * @param quantity     units held; negative for a short position
 * @param currentPrice the last price in {@code currency}, quoted as the instrument's {@link #terms()} say (per
 *                     share, per unit of an option's underlying, in percent of par for a bond); empty when no
 *                     price is known (never zero for "unknown")
 * @param marketValue  {@code terms().value(quantity, currentPrice)} in {@code currency}, as the source reports it
 *                     or as computed; empty when no price is known
 * @param costBasis    the total cost of the position in {@code currency}, when known
 * @param currency     the currency of price, market value and cost basis
 * @param accountId    the account holding it
 * @param assetClass   what kind of instrument it is
 * @param source       the connector or plugin id that reported it
 * @param externalId   the source's stable id of the instrument (an IBKR conid, an ISIN), when it has one
 * @param attributes   extra source facts worth keeping (raw asset type, exchange), and the instrument's
 *                     {@link ContractTerms} and {@link #priceAsOf()} as the builder writes them; never null
 */
@API(status = STABLE, since = "0.1")
public record Holding(
        String symbol,
        Optional<String> name,
        BigDecimal quantity,
        Optional<BigDecimal> currentPrice,
        Optional<BigDecimal> marketValue,
        Optional<BigDecimal> costBasis,
        String currency,
        String accountId,
        AssetClass assetClass,
        String source,
        Optional<String> externalId,
        Map<String, String> attributes) {

    private static final String R = "Holding";
    /** The attribute holding {@link #priceAsOf()}, an ISO-8601 instant. */
    public static final String PRICE_AS_OF = "price_as_of";
    /** The attributes holding {@link #reportedFxRate()}: the currency it converts to, and the rate. */
    public static final String FX_RATE_TO = "fx_rate_to";
    public static final String FX_RATE = "fx_rate";

    public Holding {
        Fields.requiredText(R, "symbol", symbol);
        Fields.optional(R, "name", name);
        Fields.required(R, "quantity", quantity);
        Fields.nonNegative(R, "currentPrice", currentPrice);
        Fields.optional(R, "marketValue", marketValue);
        Fields.optional(R, "costBasis", costBasis);
        Fields.currency(R, "currency", currency);
        Fields.requiredText(R, "accountId", accountId);
        Fields.required(R, "assetClass", assetClass);
        Fields.requiredText(R, "source", source);
        Fields.optional(R, "externalId", externalId);
        attributes = Fields.attributes(R, attributes);
    }

    /**
     * @return the instrument's multiplier and price convention: those the source stated, else the defaults of
     *         its asset class ({@link ContractTerms#defaultsFor})
     */
    public ContractTerms terms() {
        return ContractTerms.from(attributes, ContractTerms.defaultsFor(assetClass));
    }

    /**
     * @return when {@link #currentPrice()} was the price, as the source stated it (a statement's report date, a
     *         ticker's time) or as the store recorded it (the moment the source reported the holding); empty
     *         when unknown
     */
    public Optional<java.time.Instant> priceAsOf() {
        String at = attributes.get(PRICE_AS_OF);
        if (at == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.Instant.parse(at.trim()));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * @return the rate its source reported from {@link #currency()} to the account's base currency, as of
     *         {@link #priceAsOf()}; empty when it reported none (or the holding is in the base currency)
     */
    public Optional<ReportedFxRate> reportedFxRate() {
        String to = attributes.get(FX_RATE_TO);
        String rate = attributes.get(FX_RATE);
        if (to == null || rate == null || to.equals(currency)) {
            return Optional.empty();
        }
        try {
            BigDecimal r = new BigDecimal(rate.trim());
            return r.signum() > 0 && CurrencyCodes.isWellFormed(to) ? Optional.of(new ReportedFxRate(currency, to, r))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** @return {@code terms().value(quantity, price)}: what this position is worth at {@code price} */
    public BigDecimal valueAt(BigDecimal price) {
        return terms().value(quantity, price);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this record's values, to derive a changed copy */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.symbol = symbol;
        b.name = name.orElse(null);
        b.quantity = quantity;
        b.currentPrice = currentPrice.orElse(null);
        b.marketValue = marketValue.orElse(null);
        b.costBasis = costBasis.orElse(null);
        b.currency = currency;
        b.accountId = accountId;
        b.assetClass = assetClass;
        b.source = source;
        b.externalId = externalId.orElse(null);
        b.attributes.putAll(attributes);
        return b;
    }

    /** Builds a {@link Holding}; optional fields left unset are empty. */
    public static final class Builder {
        private String symbol;
        private String name;
        private BigDecimal quantity;
        private BigDecimal currentPrice;
        private BigDecimal marketValue;
        private BigDecimal costBasis;
        private String currency;
        private String accountId;
        private AssetClass assetClass = AssetClass.OTHER;
        private String source;
        private String externalId;
        private final Map<String, String> attributes = new HashMap<>();

        private Builder() {
        }

        public Builder symbol(String v) { symbol = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder quantity(BigDecimal v) { quantity = v; return this; }
        public Builder currentPrice(BigDecimal v) { currentPrice = v; return this; }
        public Builder marketValue(BigDecimal v) { marketValue = v; return this; }
        public Builder costBasis(BigDecimal v) { costBasis = v; return this; }
        public Builder currency(String v) { currency = v; return this; }
        public Builder accountId(String v) { accountId = v; return this; }
        public Builder assetClass(AssetClass v) { assetClass = v; return this; }
        public Builder source(String v) { source = v; return this; }
        public Builder externalId(String v) { externalId = v; return this; }
        public Builder attribute(String key, String value) { attributes.put(key, value); return this; }
        /** Sets the instrument's multiplier and price convention. */
        public Builder terms(ContractTerms v) { v.writeTo(attributes); return this; }
        /** Sets the rate the source reported from this holding's currency to {@code toCurrency}. */
        public Builder reportedFxRate(String toCurrency, BigDecimal rate) {
            attributes.put(FX_RATE_TO, toCurrency);
            attributes.put(FX_RATE, rate.toPlainString());
            return this;
        }
        /** Sets when the current price was the price. */
        public Builder priceAsOf(java.time.Instant v) { attributes.put(PRICE_AS_OF, v.toString()); return this; }

        public Holding build() {
            return new Holding(symbol, Optional.ofNullable(name), quantity, Optional.ofNullable(currentPrice),
                    Optional.ofNullable(marketValue), Optional.ofNullable(costBasis), currency, accountId,
                    assetClass, source, Optional.ofNullable(externalId), attributes);
        }
    }
}
