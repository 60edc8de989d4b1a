package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One movement in an account: a trade, a dividend, a deposit, a fee.
 *
 * <p>Connectors report what the source says; import-core's normalizer then makes {@code quantity} and
 * {@code amount} non-negative with the direction carried by {@link #type()}.
 *
 * @param date        when it happened, in UTC
 * @param tradeDate   the trade (or value) date as the source states it, in the source's calendar
 * @param symbol      the instrument's symbol; empty for pure cash movements
 * @param name        the instrument's name, when given
 * @param type        what it did
 * @param quantity    units of the instrument (for cash movements: the cash amount)
 * @param price       the price in {@code currency}, quoted as the instrument's {@link #terms()} say, when it is a
 *                    trade
 * @param amount      the cash value of the movement in {@code currency}, fees excluded; zero, with the attribute
 *                    {@value #AMOUNT_NOT_REPORTED} {@code true}, when the source reports no cash for it (a split,
 *                    shares journaled between accounts): never derived from quantity × price
 * @param currency    the currency of price and amount
 * @param fees        fees charged, in {@code feeCurrency}; zero when none; never negative
 * @param feeCurrency the currency of the fees, when it differs from {@code currency} or is known
 * @param sourceId    the source's stable id for this record (trade id, ledger id, FITID), when it has one;
 *                    without one, import-core derives a content hash
 * @param accountId   the account it belongs to
 * @param description the source's text, when given
 * @param source      the connector or plugin id that reported it
 * @param rawType     the source's own type text, kept so nothing mapped to {@link TransactionType#OTHER} is lost
 * @param attributes  extra source facts (network transaction id, order id, linked ledger ids); never null
 */
@API(status = STABLE, since = "0.1")
public record Transaction(
        Instant date,
        LocalDate tradeDate,
        Optional<String> symbol,
        Optional<String> name,
        TransactionType type,
        BigDecimal quantity,
        Optional<BigDecimal> price,
        BigDecimal amount,
        String currency,
        BigDecimal fees,
        Optional<String> feeCurrency,
        Optional<String> sourceId,
        String accountId,
        Optional<String> description,
        String source,
        Optional<String> rawType,
        Map<String, String> attributes) {

    /**
     * The attribute ({@code true}) of a record whose source left the amount blank: a quantity-only event such as a
     * stock split or shares journaled between accounts. Its {@link #amount()} is zero and means "not reported", not
     * "free": validation does not hold it against quantity × price, and reconciliation moves only its quantity.
     */
    public static final String AMOUNT_NOT_REPORTED = "amount_not_reported";

    private static final String R = "Transaction";

    public Transaction {
        Fields.required(R, "date", date);
        Fields.required(R, "tradeDate", tradeDate);
        Fields.optionalText(R, "symbol", symbol);
        Fields.optional(R, "name", name);
        Fields.required(R, "type", type);
        Fields.required(R, "quantity", quantity);
        Fields.nonNegative(R, "price", price);
        Fields.required(R, "amount", amount);
        Fields.currency(R, "currency", currency);
        Fields.nonNegative(R, "fees", fees);
        Fields.currency(R, "feeCurrency", feeCurrency);
        Fields.optionalText(R, "sourceId", sourceId);
        Fields.requiredText(R, "accountId", accountId);
        Fields.optional(R, "description", description);
        Fields.requiredText(R, "source", source);
        Fields.optional(R, "rawType", rawType);
        attributes = Fields.attributes(R, attributes);
    }

    /**
     * @return the instrument's multiplier and price convention as the source stated them; one unit at
     *         quantity × price when it stated none
     */
    public ContractTerms terms() {
        return ContractTerms.from(attributes, ContractTerms.PER_UNIT);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this record's values, to derive a changed copy */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.date = date;
        b.tradeDate = tradeDate;
        b.symbol = symbol.orElse(null);
        b.name = name.orElse(null);
        b.type = type;
        b.quantity = quantity;
        b.price = price.orElse(null);
        b.amount = amount;
        b.currency = currency;
        b.fees = fees;
        b.feeCurrency = feeCurrency.orElse(null);
        b.sourceId = sourceId.orElse(null);
        b.accountId = accountId;
        b.description = description.orElse(null);
        b.source = source;
        b.rawType = rawType.orElse(null);
        b.attributes.putAll(attributes);
        return b;
    }

    /**
     * Builds a {@link Transaction}. {@code tradeDate} defaults to the UTC date of {@code date}, {@code fees}
     * to zero; optional fields left unset are empty.
     */
    public static final class Builder {
        private Instant date;
        private LocalDate tradeDate;
        private String symbol;
        private String name;
        private TransactionType type;
        private BigDecimal quantity;
        private BigDecimal price;
        private BigDecimal amount;
        private String currency;
        private BigDecimal fees = BigDecimal.ZERO;
        private String feeCurrency;
        private String sourceId;
        private String accountId;
        private String description;
        private String source;
        private String rawType;
        private final Map<String, String> attributes = new HashMap<>();

        private Builder() {
        }

        public Builder date(Instant v) { date = v; return this; }
        public Builder tradeDate(LocalDate v) { tradeDate = v; return this; }
        public Builder symbol(String v) { symbol = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder type(TransactionType v) { type = v; return this; }
        public Builder quantity(BigDecimal v) { quantity = v; return this; }
        public Builder price(BigDecimal v) { price = v; return this; }
        public Builder amount(BigDecimal v) { amount = v; return this; }
        public Builder currency(String v) { currency = v; return this; }
        public Builder fees(BigDecimal v) { fees = v; return this; }
        public Builder feeCurrency(String v) { feeCurrency = v; return this; }
        public Builder sourceId(String v) { sourceId = v; return this; }
        public Builder accountId(String v) { accountId = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder source(String v) { source = v; return this; }
        public Builder rawType(String v) { rawType = v; return this; }
        public Builder attribute(String key, String value) { attributes.put(key, value); return this; }
        /** Sets the instrument's multiplier and price convention. */
        public Builder terms(ContractTerms v) { v.writeTo(attributes); return this; }

        public Transaction build() {
            LocalDate effectiveTradeDate = tradeDate != null ? tradeDate
                    : date != null ? LocalDate.ofInstant(date, java.time.ZoneOffset.UTC) : null;
            return new Transaction(date, effectiveTradeDate, Optional.ofNullable(symbol), Optional.ofNullable(name),
                    type, quantity, Optional.ofNullable(price), amount, currency, fees,
                    Optional.ofNullable(feeCurrency), Optional.ofNullable(sourceId), accountId,
                    Optional.ofNullable(description), source, Optional.ofNullable(rawType), attributes);
        }
    }
}
