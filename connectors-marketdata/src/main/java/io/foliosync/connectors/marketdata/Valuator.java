package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.FxRate;
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
import org.apiguardian.api.API;

/**
 * Values holdings from any connector in a base currency: each at the freshest price at hand, FX from the price's
 * currency on the price's day, and a stale flag for prices or rates older than {@code staleAfter}; or, with
 * {@link #value(Collection, LocalDate)}, as of a past day from daily closes and that day's FX rate.
 *
 * <p>Every value is {@code holding.terms().value(quantity, price)} × rate: an option contract is worth 100 times
 * its per-share price, a bond's price is percent of its face value ({@link ContractTerms}).
 *
 * <p>Which price: the holding's own (its source's, at the sync: {@link Holding#priceAsOf()}) and the market-data
 * quote (one batched call through the provider chain) are weighed by when each was the price; a quote older
 * than the source's price never wins. A source price of unknown age gives way to a quote. Without market data
 * ({@link #sourcePricesOnly(String)}) holdings are valued at their sources' prices and only those in the base
 * currency can be converted. Cash holdings ({@link AssetClass#CASH}) are worth their quantity in their currency,
 * converted like everything else. Nothing missing is ever counted as zero: see {@link Valuation#exclusions()}.
 *
 * <pre>{@code
 * Valuation v = Valuator.builder(marketData).baseCurrency("EUR").build().value(holdings);
 * Valuation yearEnd = marketData.valuator().value(holdings, LocalDate.of(2024, 12, 31));
 * Valuation offline = Valuator.sourcePricesOnly("USD").build().value(holdings);
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Valuator {
    /** How many days before {@code asOf} the last close may be when valuing as of a date. */
    public static final int AS_OF_WINDOW_DAYS = 31;
    /** The age after which a price or rate is stale when no market-data configuration says otherwise. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofDays(4);

    private final Optional<MarketDataConnector> marketData;
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
        return new Builder(Optional.of(Objects.requireNonNull(marketData, "marketData")),
                marketData.baseCurrency(), marketData.staleAfter());
    }

    /**
     * @param baseCurrency an ISO-4217 code
     * @return a builder of a valuator without market data: each holding at the price its source reported, only
     *         holdings priced in {@code baseCurrency} convertible (the others are excluded, saying so)
     */
    public static Builder sourcePricesOnly(String baseCurrency) {
        return new Builder(Optional.empty(), "USD", DEFAULT_STALE_AFTER).baseCurrency(baseCurrency);
    }

    public String baseCurrency() {
        return baseCurrency;
    }

    /** @return every holding valued at its freshest price, in the order given */
    public Valuation value(Collection<Holding> holdings) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Set<Instrument> instruments = new LinkedHashSet<>();
        for (Holding h : holdings) {
            if (!isCash(h)) {
                instruments.add(Instrument.of(h));
            }
        }
        Map<Instrument, Lookup<Quote>> quotes = instruments.isEmpty() || marketData.isEmpty() ? Map.of()
                : marketData.get().quotes(instruments);
        List<ValuedHolding> out = new ArrayList<>(holdings.size());
        for (Holding h : holdings) {
            out.add(valueOne(h, isCash(h) ? null : quotes.get(Instrument.of(h)), now, today));
        }
        return new Valuation(baseCurrency, now, Optional.empty(), out, marketData.isEmpty());
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
     * @throws IllegalStateException on a valuator without market data: past closes come only from providers
     */
    public Valuation value(Collection<Holding> holdings, LocalDate asOf) {
        Objects.requireNonNull(asOf, "asOf");
        MarketDataConnector md = marketData.orElseThrow(() -> new IllegalStateException(
                "value as of " + asOf + ": past closes need market data; this valuator has only the sources' prices"));
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (asOf.isAfter(today)) {
            throw new IllegalArgumentException("value: asOf " + asOf + " is after today (" + today + ", UTC)");
        }
        LocalDate from = asOf.minusDays(AS_OF_WINDOW_DAYS);
        Map<Instrument, Lookup<PriceHistory>> histories = new HashMap<>();
        for (Holding h : holdings) {
            if (!isCash(h)) {
                histories.computeIfAbsent(Instrument.of(h), i -> md.closesUpTo(i, from, asOf));
            }
        }
        List<ValuedHolding> out = new ArrayList<>(holdings.size());
        for (Holding h : holdings) {
            out.add(valueAsOf(h, isCash(h) ? null : histories.get(Instrument.of(h)), asOf));
        }
        return new Valuation(baseCurrency, now, Optional.of(asOf), out, false);
    }

    private ValuedHolding valueAsOf(Holding h, Lookup<PriceHistory> history, LocalDate asOf) {
        List<String> problems = new ArrayList<>();
        Instant endOfDay = endOf(asOf);
        if (isCash(h)) {
            return convert(h, new Priced(BigDecimal.ONE, h.currency(), Optional.of(endOfDay), Optional.of(asOf),
                    "cash", Optional.empty(), PriceOrigin.CASH), false, problems, asOf, endOfDay, false);
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
        return convert(h, new Priced(bar.get().close(), ph.currency().orElse(h.currency()),
                Optional.of(endOf(bar.get().date())), Optional.of(bar.get().date()), source,
                Optional.of(ph.providerSymbol()), PriceOrigin.MARKET_DATA), stale, problems, asOf, endOfDay, false);
    }

    /** A price with where and when it is from. */
    private record Priced(BigDecimal price, String currency, Optional<Instant> at, Optional<LocalDate> day,
                          String source, Optional<String> providerSymbol, PriceOrigin origin) {
    }

    private ValuedHolding valueOne(Holding h, Lookup<Quote> quote, Instant now, LocalDate today) {
        List<String> problems = new ArrayList<>();
        if (isCash(h)) {
            return convert(h, new Priced(BigDecimal.ONE, h.currency(), Optional.of(now), Optional.of(today), "cash",
                    Optional.empty(), PriceOrigin.CASH), false, problems, today, now);
        }
        Optional<Priced> fromQuote = Optional.ofNullable(quote).filter(Lookup::found).map(q -> {
            Quote x = q.value().get();
            return new Priced(x.price(), x.currency().orElse(h.currency()), Optional.of(x.asOf()),
                    Optional.of(x.date()), q.provider().get(), Optional.of(x.providerSymbol()), PriceOrigin.MARKET_DATA);
        });
        Optional<Priced> fromSource = h.currentPrice().map(p -> new Priced(p, h.currency(), h.priceAsOf(),
                h.priceAsOf().map(at -> LocalDate.ofInstant(at, ZoneOffset.UTC)), "holding:" + h.source(),
                Optional.empty(), PriceOrigin.SOURCE));
        Priced chosen;
        if (fromQuote.isPresent() && fromSource.isPresent()) {
            Instant quoteAt = fromQuote.get().at().orElseThrow();
            Optional<Instant> sourceAt = fromSource.get().at();
            // A quote older than the price the source reported never wins; a source price of unknown age does not
            // beat a dated quote.
            chosen = sourceAt.isPresent() && !quoteAt.isAfter(sourceAt.get()) ? fromSource.get() : fromQuote.get();
        } else if (fromQuote.isPresent()) {
            chosen = fromQuote.get();
        } else if (fromSource.isPresent()) {
            chosen = fromSource.get();
            if (marketData.isPresent()) {
                problems.add("no provider priced " + h.symbol() + " (" + explain(quote) + "); using the price "
                        + h.source() + " reported");
            }
        } else {
            problems.add("no price for " + h.symbol() + ": " + (marketData.isEmpty()
                    ? h.source() + " reported none and market data is not configured" : explain(quote)));
            return unvalued(h, problems);
        }
        boolean stale = false;
        if (chosen.at().isEmpty()) {
            stale = true;
            problems.add("the price " + h.source() + " reported for " + h.symbol() + " is of unknown age");
        } else if (Duration.between(chosen.at().get(), now).compareTo(staleAfter) > 0) {
            stale = true;
            problems.add("price of " + h.symbol() + " from " + chosen.source() + " is from " + chosen.day().orElseThrow()
                    + ", older than " + staleAfter.toDays() + " days");
        }
        return convert(h, chosen, stale, problems, chosen.day().orElse(today), now);
    }

    /**
     * Prices the holding by its terms and converts it to the base currency at the rate for {@code fxDate},
     * flagging the rate stale when older than {@code staleAfter} before {@code reference}.
     */
    private ValuedHolding convert(Holding h, Priced p, boolean stale, List<String> problems, LocalDate fxDate,
                                  Instant reference) {
        return convert(h, p, stale, problems, fxDate, reference, true);
    }

    /** @param sourceRates whether the rate a source reported may be used: not for a day in the past */
    private ValuedHolding convert(Holding h, Priced p, boolean stale, List<String> problems, LocalDate fxDate,
                                  Instant reference, boolean sourceRates) {
        ContractTerms terms = isCash(h) ? ContractTerms.PER_UNIT : h.terms();
        BigDecimal marketValue = terms.value(h.quantity(), p.price());
        Optional<FxRate> rate = Optional.empty();
        String currency = p.currency();
        if (!CurrencyCodes.isWellFormed(currency)) {
            problems.add("price currency '" + currency + "' is not a currency code");
        } else if (currency.equals(baseCurrency)) {
            rate = Optional.of(FxRate.identity(currency, fxDate));
        } else {
            Optional<FxRate> market = Optional.empty();
            String missing = "no " + currency + "→" + baseCurrency + " rate: market data is not configured";
            if (marketData.isPresent()) {
                Lookup<FxRate> fx = marketData.get().fxRate(currency, baseCurrency, fxDate);
                market = fx.value();
                missing = "no " + currency + "→" + baseCurrency + " rate for " + fxDate + ": " + fx.explain();
            }
            // the rate the source reported with the holding (IBKR's ledger, Flex's fxRateToBase) is of its sync or
            // statement: like a price, the fresher of it and the market's is used
            Optional<Instant> reportedAt = h.priceAsOf();
            Optional<FxRate> reported = h.reportedFxRate().filter(r -> sourceRates)
                    .filter(r -> r.from().equals(currency) && r.to().equals(baseCurrency))
                    .map(r -> FxRate.direct(currency, baseCurrency, r.rate(), reportedAt
                            .map(at -> LocalDate.ofInstant(at, ZoneOffset.UTC)).orElse(fxDate), "holding:" + h.source()));
            if (reported.isPresent() && (market.isEmpty()
                    || (reportedAt.isPresent() && !market.get().date().isAfter(reported.get().date())))) {
                rate = reported;
                if (reportedAt.isEmpty()) {
                    stale = true;
                    problems.add(currency + "→" + baseCurrency + " rate " + h.source() + " reported is of unknown age");
                }
            } else {
                rate = market;
            }
            if (rate.isEmpty()) {
                problems.add(missing);
            } else if (Duration.between(endOf(rate.get().date()), reference).compareTo(staleAfter) > 0) {
                stale = true;
                problems.add(currency + "→" + baseCurrency + " rate from " + rate.get().source() + " is from "
                        + rate.get().date() + ", older than " + staleAfter.toDays() + " days");
            }
        }
        Optional<BigDecimal> base = rate.map(r -> r.convert(marketValue));
        return new ValuedHolding(h, Optional.of(p.price()), currency, p.day(), Optional.of(p.source()),
                p.providerSymbol(), Optional.of(marketValue), rate, base, stale, problems, p.origin(), p.at(), terms);
    }

    private static ValuedHolding unvalued(Holding h, List<String> problems) {
        return new ValuedHolding(h, Optional.empty(), h.currency(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, problems,
                PriceOrigin.NONE, Optional.empty(), isCash(h) ? ContractTerms.PER_UNIT : h.terms());
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
        private final Optional<MarketDataConnector> marketData;
        private String baseCurrency;
        private Duration staleAfter;
        private Clock clock = Clock.systemUTC();

        private Builder(Optional<MarketDataConnector> marketData, String baseCurrency, Duration staleAfter) {
            this.marketData = marketData;
            this.baseCurrency = baseCurrency;
            this.staleAfter = staleAfter;
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
