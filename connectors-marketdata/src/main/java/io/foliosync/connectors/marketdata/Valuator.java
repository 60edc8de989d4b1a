package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.Holding;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Values holdings from any connector in a base currency: latest quote per symbol (one batched call through
 * the provider chain), FX from the price's currency on the price's day, and a stale flag for prices or rates
 * older than {@code staleAfter}.
 *
 * <p>Cash holdings ({@link AssetClass#CASH}) are worth their quantity in their currency. A holding no provider
 * prices keeps the price its own connector reported, marked stale (its age is unknown); without one it stays
 * unvalued. Nothing missing is ever counted as zero.
 *
 * <pre>{@code
 * Valuation v = Valuator.builder(marketData).baseCurrency("EUR").build().value(holdings);
 * }</pre>
 */
public final class Valuator {
    private final MarketDataConnector marketData;
    private final String baseCurrency;
    private final Duration staleAfter;
    private final Clock clock;

    private Valuator(Builder b) {
        this.marketData = b.marketData;
        this.baseCurrency = b.baseCurrency;
        this.staleAfter = b.staleAfter;
        this.clock = b.clock;
    }

    /** @return a builder defaulting to the connector's base currency and stale age, on the system clock */
    public static Builder builder(MarketDataConnector marketData) {
        return new Builder(marketData);
    }

    public String baseCurrency() {
        return baseCurrency;
    }

    /** @return every holding valued, in the order given */
    public Valuation value(Collection<Holding> holdings) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Set<Instrument> instruments = new LinkedHashSet<>();
        for (Holding h : holdings) {
            if (!isCash(h)) {
                instruments.add(Instrument.of(h));
            }
        }
        Map<Instrument, Lookup<Quote>> quotes = instruments.isEmpty() ? Map.of() : marketData.quotes(instruments);
        List<ValuedHolding> out = new ArrayList<>(holdings.size());
        for (Holding h : holdings) {
            out.add(valueOne(h, isCash(h) ? null : quotes.get(Instrument.of(h)), now, today));
        }
        return new Valuation(baseCurrency, now, out);
    }

    private ValuedHolding valueOne(Holding h, Lookup<Quote> quote, Instant now, LocalDate today) {
        List<String> problems = new ArrayList<>();
        BigDecimal price;
        String currency;
        Optional<LocalDate> priceDate;
        String source;
        Optional<String> providerSymbol = Optional.empty();
        boolean stale = false;
        if (isCash(h)) {
            price = BigDecimal.ONE;
            currency = h.currency();
            priceDate = Optional.of(today);
            source = "cash";
        } else if (quote != null && quote.found()) {
            Quote q = quote.value().get();
            price = q.price();
            currency = q.currency().orElse(h.currency());
            priceDate = Optional.of(q.date());
            source = quote.provider().get();
            providerSymbol = Optional.of(q.providerSymbol());
            Duration age = Duration.between(q.asOf(), now);
            if (age.compareTo(staleAfter) > 0) {
                stale = true;
                problems.add("price of " + h.symbol() + " from " + source + " is from " + q.date() + ", older than "
                        + staleAfter.toDays() + " days");
            }
        } else if (h.currentPrice().isPresent()) {
            price = h.currentPrice().get();
            currency = h.currency();
            priceDate = Optional.empty();
            source = "holding:" + h.source();
            stale = true;
            problems.add("no provider priced " + h.symbol() + " (" + explain(quote) + "); using the price "
                    + h.source() + " reported, of unknown age");
        } else {
            problems.add("no price for " + h.symbol() + ": " + explain(quote));
            return new ValuedHolding(h, Optional.empty(), h.currency(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, problems);
        }
        BigDecimal marketValue = h.quantity().multiply(price);
        Optional<FxRate> rate = Optional.empty();
        if (!CurrencyCodes.isWellFormed(currency)) {
            problems.add("price currency '" + currency + "' is not a currency code");
        } else {
            Lookup<FxRate> fx = marketData.fxRate(currency, baseCurrency, priceDate.orElse(today));
            rate = fx.value();
            if (rate.isEmpty()) {
                problems.add("no " + currency + "→" + baseCurrency + " rate for " + priceDate.orElse(today) + ": "
                        + fx.explain());
            } else if (!currency.equals(baseCurrency)) {
                Instant rateTime = rate.get().date().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                if (Duration.between(rateTime, now).compareTo(staleAfter) > 0) {
                    stale = true;
                    problems.add(currency + "→" + baseCurrency + " rate from " + rate.get().source() + " is from "
                            + rate.get().date() + ", older than " + staleAfter.toDays() + " days");
                }
            }
        }
        Optional<BigDecimal> base = rate.map(r -> r.convert(marketValue));
        return new ValuedHolding(h, Optional.of(price), currency, priceDate, Optional.of(source), providerSymbol,
                Optional.of(marketValue), rate, base, stale, problems);
    }

    private static String explain(Lookup<Quote> quote) {
        return quote == null ? "not asked" : quote.explain();
    }

    private static boolean isCash(Holding h) {
        return h.assetClass() == AssetClass.CASH;
    }

    /** Configures a {@link Valuator}. */
    public static final class Builder {
        private final MarketDataConnector marketData;
        private String baseCurrency;
        private Duration staleAfter;
        private Clock clock = Clock.systemUTC();

        private Builder(MarketDataConnector marketData) {
            this.marketData = Objects.requireNonNull(marketData, "marketData");
            this.baseCurrency = marketData.baseCurrency();
            this.staleAfter = marketData.staleAfter();
        }

        /** @param code an ISO-4217 code, such as {@code EUR} */
        public Builder baseCurrency(String code) {
            String c = code == null ? null : code.toUpperCase(java.util.Locale.ROOT);
            if (!CurrencyCodes.isIso4217(c)) {
                throw new IllegalArgumentException("baseCurrency must be an ISO-4217 code but was '" + code + "'");
            }
            baseCurrency = c;
            return this;
        }

        /** @param age prices and rates older than this are flagged stale; positive */
        public Builder staleAfter(Duration age) {
            if (age == null || age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("staleAfter must be positive but was " + age);
            }
            staleAfter = age;
            return this;
        }

        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Valuator build() {
            return new Valuator(this);
        }
    }
}
