package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Checks normalized transactions against the {@link ValidationRule}s (all but
 * {@link ValidationRule#DUPLICATE_SOURCE_ID}, which the pipeline checks per batch). Thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class Validator {
    /** Crypto assets accepted as currencies besides ISO-4217 codes; extend with {@link Builder#knownCurrencies}. */
    static final Set<String> KNOWN_CRYPTO = Set.of("BTC", "ETH", "USDT", "USDC", "DAI", "BUSD", "BNB", "SOL", "XRP",
            "ADA", "DOGE", "DOT", "LTC", "BCH", "TRX", "AVAX", "MATIC", "POL", "LINK", "UNI", "ATOM", "XLM", "ETC",
            "FIL", "XMR", "ALGO", "TUSD", "EURC", "PYUSD", "FDUSD", "OKB", "HT", "GT", "SHIB", "TON", "ARB", "OP");
    private static final Instant EPOCH = Instant.EPOCH;
    private static final Duration FUTURE_GRACE = Duration.ofDays(1);
    /** The replacement character a decoder writes for bytes that are not valid in the charset it decodes. */
    private static final char REPLACEMENT = '\uFFFD';

    private final Clock clock;
    private final BigDecimal relativeTolerance;
    private final BigDecimal absoluteTolerance;
    private final Set<String> knownCurrencies;
    private final Map<ValidationRule, Severity> severities;

    private Validator(Builder b) {
        this.clock = b.clock;
        this.relativeTolerance = b.relativeTolerance;
        this.absoluteTolerance = b.absoluteTolerance;
        Set<String> known = new HashSet<>(KNOWN_CRYPTO);
        known.addAll(b.knownCurrencies);
        this.knownCurrencies = Set.copyOf(known);
        this.severities = Map.copyOf(b.severities);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return a validator with the default tolerances and severities, judging dates by {@code clock} */
    public static Validator defaults(Clock clock) {
        return builder().clock(clock).build();
    }

    public Severity severity(ValidationRule rule) {
        return severities.getOrDefault(rule, rule.defaultSeverity());
    }

    /** @return every broken rule; empty when the record is fine */
    public List<ValidationIssue> validate(Transaction t) {
        return validate(t, false);
    }

    /**
     * @param sourceListsItsAssets whether the source is an exchange that lists every asset it reports (a crypto
     *                             exchange): then any well-formed ticker it uses is a currency it knows (XTZ,
     *                             ICN), where a broker's or bank's currency must be ISO-4217 or configured
     * @return every broken rule; empty when the record is fine
     */
    public List<ValidationIssue> validate(Transaction t, boolean sourceListsItsAssets) {
        List<ValidationIssue> issues = new ArrayList<>(0);
        TransactionType type = t.type();
        boolean trade = type == TransactionType.BUY || type == TransactionType.SELL;
        if (trade) {
            if (t.symbol().isEmpty()) {
                add(issues, ValidationRule.REQUIRED_FIELDS, "symbol", type + " without a symbol");
            }
            if (t.price().isEmpty()) {
                add(issues, ValidationRule.REQUIRED_FIELDS, "price", type + " without a price");
            }
            if (t.quantity().signum() <= 0) {
                add(issues, ValidationRule.QUANTITY_SIGN, "quantity",
                        type + " needs a quantity above zero but has " + t.quantity().toPlainString());
            }
            t.price().filter(p -> p.signum() == 0).ifPresent(p ->
                    add(issues, ValidationRule.PRICE_SIGN, "price", type + " at a price of zero"));
            if ("true".equals(t.attributes().get(Transaction.AMOUNT_NOT_REPORTED))) {
                // a trade's cash is part of it: one without is incomplete, not at odds with its price
                add(issues, ValidationRule.REQUIRED_FIELDS, "amount", type + " without an amount: the source left it "
                        + "blank");
            } else {
                t.price().filter(p -> p.signum() > 0 && t.quantity().signum() > 0)
                        .ifPresent(p -> checkAmount(issues, t, p));
            }
        } else if (type == TransactionType.DIVIDEND && t.symbol().isEmpty()) {
            issues.add(new ValidationIssue(ValidationRule.REQUIRED_FIELDS, Severity.WARNING,
                    Optional.of("symbol"), "DIVIDEND without a symbol"));
        }
        if (t.quantity().signum() < 0) {
            add(issues, ValidationRule.QUANTITY_SIGN, "quantity",
                    "quantity must not be negative after normalization but is " + t.quantity().toPlainString());
        }
        if (t.amount().signum() < 0) {
            add(issues, ValidationRule.QUANTITY_SIGN, "amount",
                    "amount must not be negative after normalization but is " + t.amount().toPlainString());
        }
        Instant now = clock.instant();
        if (t.date().isAfter(now.plus(FUTURE_GRACE))) {
            add(issues, ValidationRule.DATE_IN_FUTURE, "date", "date " + t.date() + " lies in the future (now " + now
                    + ")");
        }
        if (t.date().isBefore(EPOCH)) {
            add(issues, ValidationRule.DATE_BEFORE_1970, "date", "date " + t.date() + " lies before 1970");
        }
        if (!isKnownCurrency(t.currency(), sourceListsItsAssets)) {
            add(issues, ValidationRule.KNOWN_CURRENCY, "currency", "unknown currency '" + t.currency() + "'");
        }
        t.feeCurrency().filter(c -> !isKnownCurrency(c, sourceListsItsAssets)).ifPresent(c ->
                add(issues, ValidationRule.KNOWN_CURRENCY, "feeCurrency", "unknown fee currency '" + c + "'"));
        checkText(issues, "description", t.description());
        checkText(issues, "name", t.name());
        checkText(issues, "symbol", t.symbol());
        checkText(issues, "sourceId", t.sourceId());
        checkText(issues, "accountId", Optional.of(t.accountId()));
        checkText(issues, "rawType", t.rawType());
        t.attributes().forEach((k, v) -> checkText(issues, k, Optional.of(v)));
        return issues;
    }

    /** Names the first NUL or U+FFFD of {@code text} by position; never quotes the text (it may be hostile). */
    private void checkText(List<ValidationIssue> issues, String field, Optional<String> text) {
        if (text.isEmpty()) {
            return;
        }
        String s = text.get();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                add(issues, ValidationRule.TEXT_ENCODING, field, field + " holds a NUL character at position "
                        + (i + 1) + ": not text a statement means, and not storable in PostgreSQL");
                return;
            }
            if (c == REPLACEMENT) {
                add(issues, ValidationRule.TEXT_ENCODING, field, field + " holds U+FFFD at position " + (i + 1)
                        + ": bytes the source sent were not valid in its character set (invalid UTF-8), so the text "
                        + "is not what the source wrote");
                return;
            }
        }
    }

    boolean isKnownCurrency(String code, boolean sourceListsItsAssets) {
        return CurrencyCodes.isIso4217(code) || knownCurrencies.contains(code)
                || (sourceListsItsAssets && CurrencyCodes.isWellFormed(code));
    }

    /**
     * The amount must be what the instrument's {@link io.foliosync.connectors.api.ContractTerms} make of quantity
     * and price: an option traded per contract and priced per share, a bond quoted in percent of par.
     */
    private void checkAmount(List<ValidationIssue> issues, Transaction t, BigDecimal price) {
        var terms = t.terms();
        BigDecimal gross = terms.value(t.quantity(), price).round(MathContext.DECIMAL128);
        BigDecimal tolerance = gross.abs().multiply(relativeTolerance).max(absoluteTolerance);
        // Fees count only when they are in the amount's currency.
        BigDecimal fees = t.feeCurrency().map(c -> c.equals(t.currency())).orElse(true) ? t.fees() : BigDecimal.ZERO;
        BigDecimal amount = t.amount();
        boolean ok = within(amount, gross, tolerance)
                || within(amount, gross.add(fees), tolerance)
                || within(amount, gross.subtract(fees), tolerance);
        if (!ok) {
            add(issues, ValidationRule.AMOUNT_MATCHES, "amount", "amount " + amount.toPlainString()
                    + " differs from quantity × price" + (terms.isPerUnit() ? "" : " (" + terms + ")") + " = "
                    + gross.stripTrailingZeros().toPlainString()
                    + " (± fees " + fees.toPlainString() + ") by more than " + tolerance.stripTrailingZeros()
                    .toPlainString());
        }
    }

    private static boolean within(BigDecimal a, BigDecimal b, BigDecimal tolerance) {
        return a.subtract(b).abs().compareTo(tolerance) <= 0;
    }

    private void add(List<ValidationIssue> issues, ValidationRule rule, String field, String message) {
        issues.add(new ValidationIssue(rule, severity(rule), Optional.of(field), message));
    }

    /** Configures a {@link Validator}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private BigDecimal relativeTolerance = new BigDecimal("0.005");
        private BigDecimal absoluteTolerance = new BigDecimal("0.01");
        private final Set<String> knownCurrencies = new HashSet<>();
        private final Map<ValidationRule, Severity> severities = new EnumMap<>(ValidationRule.class);

        private Builder() {
        }

        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /**
         * @param relative a fraction of quantity × price (default 0.005, half a percent)
         * @param absolute a floor in the amount's currency (default 0.01)
         */
        public Builder amountTolerance(BigDecimal relative, BigDecimal absolute) {
            if (relative.signum() < 0 || absolute.signum() < 0) {
                throw new IllegalArgumentException("amount tolerances must not be negative");
            }
            relativeTolerance = relative;
            absoluteTolerance = absolute;
            return this;
        }

        /** Accepts more currency codes (crypto tickers) besides ISO-4217 and the built-in crypto list. */
        public Builder knownCurrencies(Set<String> codes) {
            knownCurrencies.addAll(codes);
            return this;
        }

        public Builder severity(ValidationRule rule, Severity severity) {
            severities.put(Objects.requireNonNull(rule, "rule"), Objects.requireNonNull(severity, "severity"));
            return this;
        }

        public Validator build() {
            return new Validator(this);
        }
    }
}
