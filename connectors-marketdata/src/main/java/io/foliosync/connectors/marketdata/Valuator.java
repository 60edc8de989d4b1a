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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Values holdings from any connector in a base currency: latest quote per instrument (one batched call
 * through the provider chain, each provider asked under its own symbol), FX from the price's currency on the
 * price's day, and a stale flag for prices or rates older than {@code staleAfter}; or, with
 * {@link #value(Collection, LocalDate)}, as of a past day from daily closes and that day's FX rate.
 *
 * <p>Cash holdings ({@link AssetClass#CASH}) are worth their quantity in their currency. A holding no provider
 * prices keeps the price its own connector reported, marked stale (its age is unknown); without one it stays
 * unvalued. Nothing missing is ever counted as zero.
 *
 * <pre>{@code
 * Valuation v = Valuator.builder(marketData).baseCurrency("EUR").build().value(holdings);
 * Valuation yearEnd = marketData.valuator().value(holdings, LocalDate.of(2024, 12, 31));
 * }</pre>
 */
public final class Valuator {
    /** How many days before {@code asOf} the last close may be when valuing as of a date. */
    public static final int AS_OF_WINDOW_DAYS = 31;

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

    /** @return every holding valued at its latest price, in the order given */
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

    /**
     * Values holdings as of the end of a day: each at the raw (unadjusted) close of the last trading day on or
     * before {@code asOf} within {@value #AS_OF_WINDOW_DAYS} days, from the daily bars of the first provider
     * that has one, converted at the FX rate for {@code asOf} (the latest observation on or before it within
     * {@code fx_lookback}). A price or rate is stale when it is older than {@code staleAfter} measured from
     * {@code asOf}, not from now. Cash is worth its quantity. A holding's own price is never used here: it is
     * of today, not of {@code asOf}. Bars have no batch endpoint: one history request per instrument, each
     * through the provider's cache (Tiingo keeps the history and fetches only new days).
     *
     * @param asOf the day valued; not after today (UTC)
     * @return every holding valued, in the order given, with {@link Valuation#asOf()} set
     */
    public Valuation value(Collection<Holding> holdings, LocalDate asOf) {
        Objects.requireNonNull(asOf, "asOf");
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (asOf.isAfter(today)) {
            throw new IllegalArgumentException("value: asOf " + asOf + " is after today (" + today + ", UTC)");
        }
        LocalDate from = asOf.minusDays(AS_OF_WINDOW_DAYS);
        Map<Instrument, Lookup<PriceHistory>> histories = new HashMap<>();
        for (Holding h : holdings) {
            if (!isCash(h)) {
                histories.computeIfAbsent(Instrument.of(h), i -> marketData.closesUpTo(i, from, asOf));
            }
        }
        List<ValuedHolding> out = new ArrayList<>(holdings.size());
        for (Holding h : holdings) {
            out.add(valueAsOf(h, isCash(h) ? null : histories.get(Instrument.of(h)), asOf));
        }
        return new Valuation(baseCurrency, now, Optional.of(asOf), out);
    }

    private ValuedHolding valueAsOf(Holding h, Lookup<PriceHistory> history, LocalDate asOf) {
        List<String> problems = new ArrayList<>();
        Instant endOfDay = endOf(asOf);
        if (isCash(h)) {
            return convert(h, BigDecimal.ONE, h.currency(), Optional.of(asOf), "cash", Optional.empty(), false,
                    problems, asOf, endOfDay);
        }
        Optional<DailyBar> bar = history.value().flatMap(ph -> ph.barOnOrBefore(asOf));
        if (bar.isEmpty()) {
            problems.add("no close for " + h.symbol() + " on or before " + asOf + " (within " + AS_OF_WINDOW_DAYS
                    + " days): " + (history.found() ? history.provider().get() + " has no bar in range"
                    : history.explain()));
            return unvalued(h, problems);
        }
        PriceHistory ph = history.value().get();
        String source = history.provider().get();
        boolean stale = false;
        if (Duration.between(endOf(bar.get().date()), endOfDay).compareTo(staleAfter) > 0) {
            stale = true;
            problems.add("close of " + h.symbol() + " from " + source + " is from " + bar.get().date() + ", older than "
                    + staleAfter.toDays() + " days before " + asOf);
        }
        return convert(h, bar.get().close(), ph.currency().orElse(h.currency()), Optional.of(bar.get().date()),
                source, Optional.of(ph.providerSymbol()), stale, problems, asOf, endOfDay);
    }

    private ValuedHolding valueOne(Holding h, Lookup<Quote> quote, Instant now, LocalDate today) {
        List<String> problems = new ArrayList<>();
        if (isCash(h)) {
            return convert(h, BigDecimal.ONE, h.currency(), Optional.of(today), "cash", Optional.empty(), false,
                    problems, today, now);
        }
        if (quote != null && quote.found()) {
            Quote q = quote.value().get();
            String source = quote.provider().get();
            boolean stale = false;
            if (Duration.between(q.asOf(), now).compareTo(staleAfter) > 0) {
                stale = true;
                problems.add("price of " + h.symbol() + " from " + source + " is from " + q.date() + ", older than "
                        + staleAfter.toDays() + " days");
            }
            return convert(h, q.price(), q.currency().orElse(h.currency()), Optional.of(q.date()), source,
                    Optional.of(q.providerSymbol()), stale, problems, q.date(), now);
        }
        if (h.currentPrice().isPresent()) {
            problems.add("no provider priced " + h.symbol() + " (" + explain(quote) + "); using the price "
                    + h.source() + " reported, of unknown age");
            return convert(h, h.currentPrice().get(), h.currency(), Optional.empty(), "holding:" + h.source(),
                    Optional.empty(), true, problems, today, now);
        }
        problems.add("no price for " + h.symbol() + ": " + explain(quote));
        return unvalued(h, problems);
    }

    /**
     * Prices the holding and converts it to the base currency at the rate for {@code fxDate}, flagging the
     * rate stale when older than {@code staleAfter} before {@code reference}.
     */
    private ValuedHolding convert(Holding h, BigDecimal price, String currency, Optional<LocalDate> priceDate,
                                  String source, Optional<String> providerSymbol, boolean stale,
                                  List<String> problems, LocalDate fxDate, Instant reference) {
        BigDecimal marketValue = h.quantity().multiply(price);
        Optional<FxRate> rate = Optional.empty();
        if (!CurrencyCodes.isWellFormed(currency)) {
            problems.add("price currency '" + currency + "' is not a currency code");
        } else {
            Lookup<FxRate> fx = marketData.fxRate(currency, baseCurrency, fxDate);
            rate = fx.value();
            if (rate.isEmpty()) {
                problems.add("no " + currency + "→" + baseCurrency + " rate for " + fxDate + ": " + fx.explain());
            } else if (!currency.equals(baseCurrency)
                    && Duration.between(endOf(rate.get().date()), reference).compareTo(staleAfter) > 0) {
                stale = true;
                problems.add(currency + "→" + baseCurrency + " rate from " + rate.get().source() + " is from "
                        + rate.get().date() + ", older than " + staleAfter.toDays() + " days");
            }
        }
        Optional<BigDecimal> base = rate.map(r -> r.convert(marketValue));
        return new ValuedHolding(h, Optional.of(price), currency, priceDate, Optional.of(source), providerSymbol,
                Optional.of(marketValue), rate, base, stale, problems);
    }

    private static ValuedHolding unvalued(Holding h, List<String> problems) {
        return new ValuedHolding(h, Optional.empty(), h.currency(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, problems);
    }

    /** @return the end of a day (UTC): the moment a close or a daily rate of that day is taken to be from */
    private static Instant endOf(LocalDate day) {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
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
