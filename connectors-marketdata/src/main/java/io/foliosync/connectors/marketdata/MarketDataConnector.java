package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.FolioSyncVersion;
import io.foliosync.connectors.api.FxRate;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.cache.CacheKey;
import io.foliosync.connectors.api.cache.ResponseCache;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Prices, price history and FX rates from a chain of {@link QuoteProvider}s: the {@code primary_provider},
 * then each of the {@code fallback_providers} in order. A provider that is rate-limited, down, malformed or
 * without data for a symbol hands over to the next; every answer is a {@link Lookup} that names the provider
 * that served it and the ones that did not. Missing data stays empty, never zero.
 *
 * <pre>{@code
 * MarketDataConnector md = MarketDataConnector.fromConfig(section, context);
 * md.authenticate();
 * Map<String, Lookup<Quote>> quotes = md.latestQuotes(List.of("AAPL", "MSFT"));
 * Lookup<FxRate> eurJpy = md.fxRate("EUR", "JPY", LocalDate.of(2020, 1, 2)); // via USD
 * Valuation v = md.valuator().value(holdings);                        // latest prices
 * Valuation yearEnd = md.valuator().value(holdings, LocalDate.of(2024, 12, 31)); // closes and FX of that day
 * Map<Instrument, Lookup<Quote>> byInstrument = md.quotes(List.of(Instrument.of(krakenBtcHolding))); // BTC-USD on Yahoo
 * }</pre>
 *
 * <p>Like every connector, call {@link #authenticate()} first (it checks the configuration and makes no call).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MarketDataConnector extends AbstractConnector {
    public static final String NAME = "market_data";

    private final Chain chain;
    private final List<QuoteProvider> fxProviders;
    private final String baseCurrency;
    private final Duration staleAfter;
    private final int fxLookbackDays;
    private final String healthSymbol;
    private final ResponseCache<Object> fxCache;

    private MarketDataConnector(Builder b) {
        super(b.clock);
        this.chain = new Chain(b.providers, SymbolMap.of(b.symbolMaps));
        List<QuoteProvider> fx = new ArrayList<>();
        for (String id : b.fxProviders) {
            b.providers.stream().filter(p -> p.id().equals(id)).findFirst().ifPresent(fx::add);
        }
        chain.offering(QuoteProvider.Feature.FX_RATES).stream().filter(p -> !fx.contains(p)).forEach(fx::add);
        this.fxProviders = List.copyOf(fx);
        this.baseCurrency = b.baseCurrency;
        this.staleAfter = b.staleAfter;
        this.fxLookbackDays = b.fxLookbackDays;
        this.healthSymbol = b.healthSymbol;
        this.fxCache = ResponseCache.create(b.cacheMaxEntries, () -> b.clock.millis() * 1_000_000L);
    }

    /**
     * Builds the connector from the {@code market_data} section of {@code data_sources.yaml}.
     *
     * @throws io.foliosync.connectors.api.ConfigurationException naming every missing or invalid key
     */
    public static MarketDataConnector fromConfig(ConfigSection section, ConnectorContext context) {
        return MarketDataConfig.create(section, context);
    }

    /** @return a builder for a connector over providers of the caller's choosing */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ConnectorMetadata metadata() {
        return new ConnectorMetadata(NAME, ConnectorType.MARKET_DATA, FolioSyncVersion.get(),
                "Prices, dividends, splits and FX rates from " + String.join(", ", providerIds())
                        + ", in that order",
                Set.of(AssetClass.STOCK, AssetClass.ETF, AssetClass.MUTUAL_FUND, AssetClass.FOREX,
                        AssetClass.CRYPTO),
                false, chain.providers().stream().anyMatch(p -> !p.id().equals(YahooProvider.ID)),
                Optional.empty(), Optional.of(URI.create("https://github.com/foliosync/foliosync/blob/main/docs/"
                        + "setup_guides/marketdata_setup.md")));
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.PRICES);
    }

    @Override
    protected AuthenticationResult doAuthenticate() {
        if (chain.providers().isEmpty()) {
            return AuthenticationResult.failure("no market-data provider is configured: set "
                    + "market_data.primary_provider");
        }
        return AuthenticationResult.success("providers in order: " + String.join(", ", providerIds())
                + " (keys are checked by each provider's first call)");
    }

    /** @return the provider ids in the order they are asked */
    public List<String> providerIds() {
        return chain.providers().stream().map(QuoteProvider::id).toList();
    }

    /** @return the configured base currency ({@code base_currency}) */
    public String baseCurrency() {
        return baseCurrency;
    }

    /** @return the configured age after which a price or rate is stale ({@code stale_after}) */
    public Duration staleAfter() {
        return staleAfter;
    }

    /**
     * Latest quotes for many symbols: each provider is asked for all symbols still unpriced, in batches where
     * it serves many per request, through its cache.
     *
     * @return one entry per distinct symbol, in the order given
     */
    public Map<String, Lookup<Quote>> latestQuotes(Collection<String> symbols) {
        symbols.forEach(s -> Checks.text("latestQuotes", "symbol", s));
        Map<Instrument, Lookup<Quote>> byInstrument = quotes(symbols.stream().map(Instrument::of).toList());
        Map<String, Lookup<Quote>> out = new LinkedHashMap<>();
        byInstrument.forEach((i, q) -> out.put(i.symbol(), q));
        return out;
    }

    public Lookup<Quote> latestQuote(String symbol) {
        return latestQuotes(List.of(symbol)).get(symbol.trim());
    }

    /**
     * Latest quotes for instruments as brokers and exchanges report them: each provider is asked under its own
     * symbol ({@link #providerSymbol}), and each answer is reported under the instrument's symbol, with the
     * provider's in {@link Quote#providerSymbol()}. Batched and cached as {@link #latestQuotes(Collection)}.
     *
     * @return one entry per distinct instrument, in the order given
     */
    public Map<Instrument, Lookup<Quote>> quotes(Collection<Instrument> instruments) {
        requireAuthenticated("quotes()");
        instruments.forEach(i -> Objects.requireNonNull(i, "instrument"));
        return chain.latestQuotes(instruments);
    }

    public Lookup<Quote> latestQuote(Instrument instrument) {
        return quotes(List.of(instrument)).get(instrument);
    }

    /**
     * @return the symbol {@code providerId} is asked for when pricing {@code instrument}: the provider's
     * {@code symbol_map} entry, else its automatic rules; empty when that provider does not serve it or is not
     * configured
     */
    public Optional<String> providerSymbol(String providerId, Instrument instrument) {
        return chain.providers().stream().filter(p -> p.id().equals(providerId)).findFirst()
                .flatMap(p -> chain.symbolFor(p, instrument));
    }

    /** @return daily bars, dividends and splits within {@code [from, to]} from the first provider holding any */
    public Lookup<PriceHistory> history(String symbol, LocalDate from, LocalDate to) {
        Checks.text("history", "symbol", symbol);
        return history(Instrument.of(symbol), from, to);
    }

    /**
     * Daily bars, dividends and splits of an instrument, each provider asked under its own symbol; the history
     * is reported under the instrument's symbol, with the provider's in {@link PriceHistory#providerSymbol()}.
     */
    public Lookup<PriceHistory> history(Instrument instrument, LocalDate from, LocalDate to) {
        requireAuthenticated("history()");
        Objects.requireNonNull(instrument, "instrument");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("history: to " + to + " is before from " + from);
        }
        return chain.first(QuoteProvider.Feature.DAILY_BARS, instrument, from + ".." + to,
                (p, theirs) -> p.history(theirs, from, to).map(h -> h.reportedAs(instrument.symbol())));
    }

    /**
     * Like {@link #history(Instrument, LocalDate, LocalDate)}, but a provider whose history has no bar on or
     * before {@code to} hands over to the next (a dividend alone prices nothing). For the Valuator.
     */
    Lookup<PriceHistory> closesUpTo(Instrument instrument, LocalDate from, LocalDate to) {
        requireAuthenticated("history()");
        return chain.first(QuoteProvider.Feature.DAILY_BARS, instrument, "closes " + from + ".." + to,
                (p, theirs) -> p.history(theirs, from, to).filter(h -> h.barOnOrBefore(to).isPresent())
                        .map(h -> h.reportedAs(instrument.symbol())));
    }

    /** @return an economic series (FRED) within {@code [from, to]}; missing observations have empty values */
    public Lookup<List<Observation>> series(String seriesId, LocalDate from, LocalDate to) {
        requireAuthenticated("series()");
        return chain.first(QuoteProvider.Feature.ECONOMIC_SERIES, seriesId,
                p -> Optional.of(p.series(seriesId, from, to)).filter(l -> !l.isEmpty()));
    }

    /**
     * The rate from one currency to another on a date: directly when one side is USD, otherwise through USD
     * ({@code from → USD → to}). Each leg is the latest observation on or before {@code date} within
     * {@code fx_lookback}, from the FX providers in order ({@code fx_providers}, else the chain's order).
     */
    public Lookup<FxRate> fxRate(String from, String to, LocalDate date) {
        requireAuthenticated("fxRate()");
        String f = from.toUpperCase(Locale.ROOT);
        String t = to.toUpperCase(Locale.ROOT);
        Checks.currency("fxRate", "from", f);
        Checks.currency("fxRate", "to", t);
        Objects.requireNonNull(date, "date");
        if (f.equals(t)) {
            return Lookup.found(FxRate.identity(f, date), "identity", List.of());
        }
        if (f.equals("USD") || t.equals("USD")) {
            return leg(f, t, date);
        }
        Lookup<FxRate> a = leg(f, "USD", date);
        if (!a.found()) {
            return a;
        }
        Lookup<FxRate> b = leg("USD", t, date);
        List<Attempt> attempts = new ArrayList<>(a.attempts());
        attempts.addAll(b.attempts());
        if (!b.found()) {
            return Lookup.missing(attempts);
        }
        FxRate ra = a.value().get();
        FxRate rb = b.value().get();
        LocalDate older = ra.date().isBefore(rb.date()) ? ra.date() : rb.date();
        FxRate rate = new FxRate(f, t, ra.rate().multiply(rb.rate(), FxRate.PRECISION), older,
                ra.source() + " x " + rb.source(), List.of(ra, rb));
        String provider = String.join("+", new LinkedHashSet<>(List.of(a.provider().get(), b.provider().get())));
        return Lookup.found(rate, provider, attempts);
    }

    /** @return {@code amount} converted on {@code date}, with the rate used; empty when no rate was found */
    public Lookup<BigDecimal> convert(BigDecimal amount, String from, String to, LocalDate date) {
        return fxRate(from, to, date).map(r -> r.convert(amount));
    }

    private Lookup<FxRate> leg(String from, String to, LocalDate date) {
        CacheKey key = CacheKey.of("fx", from, to, date.toString());
        Optional<Object> hit = fxCache.getIfPresent(key);
        if (hit.isPresent()) {
            @SuppressWarnings("unchecked")
            Lookup<FxRate> cached = (Lookup<FxRate>) hit.get();
            return cached;
        }
        Chain fx = new Chain(fxProviders);
        Lookup<FxRate> answer = fx.first(QuoteProvider.Feature.FX_RATES, from + "/" + to + " on " + date,
                p -> p.fxRate(from, to, date, fxLookbackDays));
        if (!answer.found() && fxLookbackDays > 0 && answer.attempts().stream()
                .allMatch(at -> at.outcome() == Attempt.Outcome.NO_DATA)) {
            // Some providers quote only one direction (Yahoo's EURUSD=X but not USDEUR=X): try the inverse.
            Lookup<FxRate> inverse = fx.first(QuoteProvider.Feature.FX_RATES, to + "/" + from + " on " + date,
                    p -> p.fxRate(to, from, date, fxLookbackDays));
            if (inverse.found()) {
                List<Attempt> all = new ArrayList<>(answer.attempts());
                all.addAll(inverse.attempts());
                answer = Lookup.found(inverse.value().get().inverse(), inverse.provider().get(), all);
            }
        }
        if (answer.found()) {
            fxCache.put(key, answer, Duration.ofHours(1));
        }
        return answer;
    }

    /** @return a valuator in the configured base currency and stale age, on this connector's clock */
    public Valuator valuator() {
        return Valuator.builder(this).baseCurrency(baseCurrency).staleAfter(staleAfter).clock(clock).build();
    }

    @Override
    public HealthStatus healthCheck() {
        Instant start = clock.instant();
        if (!isAuthenticated()) {
            return HealthStatus.unhealthy("not authenticated: call authenticate() first", start);
        }
        try {
            Lookup<Quote> q = latestQuote(healthSymbol);
            Duration latency = Duration.between(start, clock.instant());
            if (q.found()) {
                return new HealthStatus(true, q.provider().get() + " priced " + healthSymbol, start,
                        Optional.of(latency), Map.of("provider", q.provider().get(),
                        "attempts", q.explain()));
            }
            return HealthStatus.unhealthy("no provider priced " + healthSymbol + ": " + q.explain(), start);
        } catch (RuntimeException e) {
            return HealthStatus.unhealthy("health check failed: " + e.getMessage(), start);
        }
    }

    /** Builds a {@link MarketDataConnector} over given providers. */
    public static final class Builder {
        private final List<QuoteProvider> providers = new ArrayList<>();
        private final Map<String, Map<String, String>> symbolMaps = new LinkedHashMap<>();
        private List<String> fxProviders = List.of();
        private String baseCurrency = "USD";
        private Duration staleAfter = MarketDataConfig.DEFAULT_STALE;
        private int fxLookbackDays = (int) MarketDataConfig.DEFAULT_FX_LOOKBACK.toDays();
        private String healthSymbol = "SPY";
        private int cacheMaxEntries = MarketDataConfig.DEFAULT_CACHE_MAX_ENTRIES;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** @param p the next provider in the chain */
        public Builder provider(QuoteProvider p) {
            providers.add(Objects.requireNonNull(p, "provider"));
            return this;
        }

        public Builder providers(Collection<? extends QuoteProvider> ps) {
            ps.forEach(this::provider);
            return this;
        }

        /**
         * Symbol overrides for one provider, winning over its automatic rules ({@code symbol_map} in
         * configuration).
         *
         * @param providerId the provider's id, such as {@code yahoo}
         * @param map        our symbol → the provider's symbol; a blank or null value means the provider is never
         *                   asked for that symbol
         */
        public Builder symbolMap(String providerId, Map<String, String> map) {
            Checks.text("MarketDataConnector", "symbolMap provider", providerId);
            Map<String, String> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(Checks.text("MarketDataConnector", "symbolMap key", k), v));
            symbolMaps.put(providerId, copy);
            return this;
        }

        /** @param ids the FX providers to ask first, in order; the others follow in chain order */
        public Builder fxProviders(List<String> ids) {
            fxProviders = List.copyOf(ids);
            return this;
        }

        public Builder baseCurrency(String code) {
            if (!CurrencyCodes.isIso4217(code)) {
                throw new IllegalArgumentException("baseCurrency must be an ISO-4217 code but was '" + code + "'");
            }
            baseCurrency = code;
            return this;
        }

        public Builder staleAfter(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("staleAfter must be positive but was " + d);
            }
            staleAfter = d;
            return this;
        }

        public Builder fxLookbackDays(int days) {
            if (days < 0) {
                throw new IllegalArgumentException("fxLookbackDays must not be negative but was " + days);
            }
            fxLookbackDays = days;
            return this;
        }

        /** @param n the most FX answers kept in the connector's FX cache ({@code cache_max_entries}); at least 1 */
        public Builder cacheMaxEntries(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("cacheMaxEntries must be at least 1 but was " + n);
            }
            cacheMaxEntries = n;
            return this;
        }

        public Builder healthSymbol(String s) {
            healthSymbol = Checks.text("MarketDataConnector", "healthSymbol", s);
            return this;
        }

        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public MarketDataConnector build() {
            Set<String> ids = new LinkedHashSet<>();
            for (QuoteProvider p : providers) {
                if (!ids.add(p.id())) {
                    throw new IllegalArgumentException("provider id '" + p.id() + "' is used twice");
                }
            }
            return new MarketDataConnector(this);
        }
    }
}
