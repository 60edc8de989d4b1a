package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The one normalizer every source's records pass through before validation:
 * <ul>
 *   <li>symbols and currencies are trimmed, upper-cased, inner spaces collapsed, then mapped through the alias
 *       table ({@code XBT→BTC}, {@code XXBT→BTC}, {@code ZUSD→USD}; class shares {@code BRK B}, {@code BRK/B},
 *       {@code BRK-B} → {@code BRK.B});</li>
 *   <li>quantity and amount become non-negative with the direction in the type: a negative quantity on a
 *       BUY makes it a SELL, on a TRANSFER_IN a TRANSFER_OUT, a negative amount on a DEPOSIT a WITHDRAWAL; a
 *       negative SELL, TRANSFER_OUT or WITHDRAWAL already says its direction and keeps its type; the
 *       original sign is kept in the attribute {@code original_sign};</li>
 *   <li>timestamps are UTC instants truncated to microseconds (what both databases store exactly).</li>
 * </ul>
 * The type is the connector's: it alone knows what its source's type text means, so a record it keeps as
 * {@link TransactionType#OTHER} (a Kraken staking allocation, say) stays OTHER here. Thread-safe and immutable.
 */
@API(status = INTERNAL, since = "0.1")
public final class Normalizer {
    private static final Map<String, String> DEFAULT_ALIASES = Map.ofEntries(
            Map.entry("XBT", "BTC"), Map.entry("XXBT", "BTC"), Map.entry("XETH", "ETH"), Map.entry("XXDG", "DOGE"),
            Map.entry("XDG", "DOGE"), Map.entry("XLTC", "LTC"), Map.entry("XXRP", "XRP"), Map.entry("XXLM", "XLM"),
            Map.entry("ZUSD", "USD"), Map.entry("ZEUR", "EUR"), Map.entry("ZGBP", "GBP"), Map.entry("ZCAD", "CAD"),
            Map.entry("ZJPY", "JPY"));
    // A class share written with a space, slash or dash: BRK B, BRK/B, BRK-B, BF B.
    private static final Pattern SHARE_CLASS = Pattern.compile("([A-Z]{1,5})[ /-]([A-Z])");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final Map<String, String> aliases;

    private Normalizer(Map<String, String> aliases) {
        this.aliases = Map.copyOf(aliases);
    }

    /** @return a normalizer with the built-in alias table */
    public static Normalizer defaults() {
        return new Normalizer(DEFAULT_ALIASES);
    }

    /**
     * @param extra aliases added to (and overriding) the built-in table, raw symbol → canonical symbol; keys
     *              are matched after trimming and upper-casing
     */
    public static Normalizer withAliases(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(DEFAULT_ALIASES);
        extra.forEach((k, v) -> all.put(clean(k), clean(v)));
        return new Normalizer(all);
    }

    /** @return the alias table in use */
    public Map<String, String> aliases() {
        return aliases;
    }

    /** @return the canonical form of a symbol */
    public String symbol(String raw) {
        String s = clean(raw);
        String alias = aliases.get(s);
        if (alias != null) {
            return alias;
        }
        Matcher m = SHARE_CLASS.matcher(s);
        return m.matches() ? m.group(1) + "." + m.group(2) : s;
    }

    /** @return the canonical form of a currency code (aliases applied; ISO codes unchanged) */
    public String currency(String raw) {
        String s = clean(raw);
        return aliases.getOrDefault(s, s);
    }

    /**
     * @throws NumberOutOfRangeException when a figure lies beyond {@link #MAX_INTEGER_DIGITS} integer digits or
     *                                   {@link #MAX_DECIMAL_PLACES} decimal places: the record is malformed
     */
    public Transaction normalize(Transaction t) {
        // the amount first: a bank plugin's cash record carries it as the quantity too, and the amount is what the
        // statement wrote
        inRange("amount", t.amount());
        inRange("quantity", t.quantity());
        t.price().ifPresent(p -> inRange("price", p));
        inRange("fees", t.fees());
        TransactionType type = t.type();
        boolean negative = signCarrier(type, t).signum() < 0;
        if (negative) {
            type = opposite(type);
        }
        Instant date = micros(t.date());
        String currency = currency(t.currency());
        Optional<String> symbol = t.symbol().map(this::symbol);
        Optional<String> feeCurrency = t.feeCurrency().map(this::currency);
        if (!negative && type == t.type() && date.equals(t.date()) && t.quantity().signum() >= 0
                && t.amount().signum() >= 0 && currency.equals(t.currency()) && symbol.equals(t.symbol())
                && feeCurrency.equals(t.feeCurrency())) {
            return t; // already normal: no copy of the record
        }
        Transaction.Builder b = t.toBuilder()
                .type(type)
                .date(date)
                .quantity(t.quantity().abs())
                .amount(t.amount().abs())
                .currency(currency);
        symbol.ifPresent(b::symbol);
        feeCurrency.ifPresent(b::feeCurrency);
        if (negative || t.quantity().signum() < 0 || t.amount().signum() < 0) {
            b.attribute("original_sign", "negative");
        }
        return b.build();
    }

    /**
     * The largest figure a record may hold: 24 integer digits (10^24, a billion times the world's yearly output, and
     * more units than any token's supply) and 40 decimal places (a price divided out at 34 significant digits, as
     * the crypto connectors do, of a unit worth a millionth). Beyond either it is not a figure a source meant but a
     * malformed one ({@code -1E+400}), and it would be stored, hashed and printed as hundreds of digits
     * ({@code 1E+999999999}: a gigabyte), so the check comes first, before anything writes it out.
     */
    public static final int MAX_INTEGER_DIGITS = 24;
    /** See {@link #MAX_INTEGER_DIGITS}. */
    public static final int MAX_DECIMAL_PLACES = 40;

    /** @throws NumberOutOfRangeException naming {@code field} when {@code v} lies beyond the limits */
    static void inRange(String field, BigDecimal v) {
        if (v.signum() == 0) {
            return; // 0E+500 is zero, whatever its scale
        }
        // precision and scale are read from the unscaled value, never written out: cheap for 1E+999999999 too
        BigDecimal s = v.stripTrailingZeros();
        long integerDigits = (long) s.precision() - s.scale();
        if (integerDigits > MAX_INTEGER_DIGITS || s.scale() > MAX_DECIMAL_PLACES) {
            throw new NumberOutOfRangeException(field, v);
        }
    }

    /**
     * @throws NumberOutOfRangeException when a figure lies beyond the limits of {@link #MAX_INTEGER_DIGITS}
     */
    public Holding normalize(Holding h) {
        inRange("quantity", h.quantity());
        h.currentPrice().ifPresent(v -> inRange("currentPrice", v));
        h.marketValue().ifPresent(v -> inRange("marketValue", v));
        h.costBasis().ifPresent(v -> inRange("costBasis", v));
        return h.toBuilder().symbol(symbol(h.symbol())).currency(currency(h.currency())).build();
    }

    // Only a negative value on an inflow type contradicts the type; units carry the sign of trades and
    // transfers, the amount that of deposits.
    private static BigDecimal signCarrier(TransactionType type, Transaction t) {
        return switch (type) {
            case BUY, TRANSFER_IN -> t.quantity();
            case DEPOSIT -> t.amount();
            default -> BigDecimal.ZERO;
        };
    }

    private static TransactionType opposite(TransactionType type) {
        return switch (type) {
            case BUY -> TransactionType.SELL;
            case TRANSFER_IN -> TransactionType.TRANSFER_OUT;
            case DEPOSIT -> TransactionType.WITHDRAWAL;
            default -> type;
        };
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static String clean(String raw) {
        if (isClean(raw)) {
            return raw; // the common case: no regex, no copy
        }
        return SPACES.matcher(raw.trim()).replaceAll(" ").toUpperCase(Locale.ROOT);
    }

    /** @return whether {@code raw} is upper-case ASCII letters, digits and {@code ./-} only */
    private static boolean isClean(String raw) {
        if (raw.isEmpty()) {
            return false;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '/' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
