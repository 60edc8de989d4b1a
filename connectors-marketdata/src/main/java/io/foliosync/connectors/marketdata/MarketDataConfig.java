package io.foliosync.connectors.marketdata;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.cache.ResponseCache;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiter;
import io.foliosync.connectors.api.http.RetryPolicy;
import io.foliosync.connectors.api.secrets.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** Reads the {@code market_data} section of {@code data_sources.yaml} into a {@link MarketDataConnector}. */
final class MarketDataConfig {
    static final Duration DEFAULT_CACHE = Duration.ofMinutes(15);
    static final Duration DEFAULT_STALE = Duration.ofDays(4);
    static final Duration DEFAULT_FX_LOOKBACK = Duration.ofDays(7);
    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);
    static final int DEFAULT_CACHE_MAX_ENTRIES = 10_000;
    static final int DEFAULT_HISTORY_MAX_SYMBOLS = 500;

    /** Provider defaults: base URL, whether a key is required, documented limits. */
    private record Defaults(String baseUrl, boolean needsKey, List<RateLimit> limits) {
    }

    private static final Map<String, Defaults> DEFAULTS = Map.of(
            TiingoProvider.ID, new Defaults("https://api.tiingo.com", true,
                    List.of(new RateLimit(50, Duration.ofHours(1)), new RateLimit(1000, Duration.ofDays(1)))),
            YahooProvider.ID, new Defaults("https://query2.finance.yahoo.com", false,
                    List.of(RateLimit.perMinute(100))),
            AlphaVantageProvider.ID, new Defaults("https://www.alphavantage.co", true,
                    List.of(RateLimit.perMinute(5), new RateLimit(25, Duration.ofDays(1)))),
            FredProvider.ID, new Defaults("https://api.stlouisfed.org", true, List.of(RateLimit.perMinute(120))));

    private static final Map<String, String> ALIASES = Map.of(
            "yahoo_finance", YahooProvider.ID, "yahoofinance", YahooProvider.ID,
            "alphavantage", AlphaVantageProvider.ID, "alpha-vantage", AlphaVantageProvider.ID);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MarketDataConfig.class);

    private MarketDataConfig() {
    }

    static boolean enabled(ConfigSection section) {
        return section.bool("enabled", true);
    }

    /**
     * @return whether the section names providers and every one of them is switched off in its own entry: then
     *         there is no chain to value with, which disables valuation, not the configuration (issue 23 case 12).
     *         Values this cannot read (a malformed {@code enabled}) count as enabled, so {@link #create} still
     *         reports them by key.
     */
    static boolean everyProviderDisabled(ConfigSection section) {
        List<String> named = new ArrayList<>();
        try {
            String primary = section.string("primary_provider", null);
            if (primary != null) {
                named.add(canonical(primary));
            }
            section.strings("fallback_providers").forEach(f -> named.add(canonical(f)));
            if (named.isEmpty()) {
                return false;
            }
            for (String id : named) {
                if (provider(section, id).bool("enabled", true)) {
                    return false;
                }
            }
            return true;
        } catch (ConfigurationException e) {
            return false;
        }
    }

    /** @return a provider's entry, under its id or an alias ({@code yahoo_finance}); empty when absent */
    static ConfigSection provider(ConfigSection section, String id) {
        for (String key : section.keys()) {
            if (canonical(key).equals(id) && section.asMap().get(key) instanceof Map) {
                return section.section(key);
            }
        }
        return section.section(id);
    }

    static String canonical(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(n, n);
    }

    static MarketDataConnector create(ConfigSection section, ConnectorContext context) {
        ConfigSection.Requirements req = section.require();
        String primary = req.string("primary_provider");
        List<String> order = new ArrayList<>();
        if (primary != null) {
            order.add(canonical(primary));
        }
        section.strings("fallback_providers").forEach(f -> order.add(canonical(f)));
        // a provider switched off in its own entry (the original system's `alpha_vantage: {enabled: false}`) is
        // left out of the chain, and so needs no key
        List<String> off = new ArrayList<>();
        order.removeIf(id -> {
            boolean disabled = !req.attempt(() -> provider(section, id).bool("enabled", true)).orElse(true);
            if (disabled) {
                off.add(id);
            }
            return disabled;
        });
        if (!off.isEmpty()) {
            LOG.info("{}: {} disabled in their own entries, left out of the provider chain", section.path(), off);
        }
        List<String> chain = List.copyOf(new LinkedHashSet<>(order));
        req.check(!chain.isEmpty() || primary == null, "primary_provider",
                "every provider named in primary_provider and fallback_providers is disabled");
        for (String id : chain) {
            req.check(DEFAULTS.containsKey(id), id.equals(chain.get(0)) ? "primary_provider" : "fallback_providers",
                    "unknown provider '" + id + "': use one of tiingo, yahoo, alpha_vantage, fred");
        }
        Duration defaultCache = context.responseCacheTtl().orElse(DEFAULT_CACHE);
        Duration cache = req.attempt(() -> section.duration("cache_duration").orElse(defaultCache))
                .orElse(defaultCache);
        Duration stale = req.attempt(() -> section.duration("stale_after").orElse(DEFAULT_STALE))
                .orElse(DEFAULT_STALE);
        Duration lookback = req.attempt(() -> section.duration("fx_lookback").orElse(DEFAULT_FX_LOOKBACK))
                .orElse(DEFAULT_FX_LOOKBACK);
        String base = section.string("base_currency", "USD").toUpperCase(Locale.ROOT);
        req.check(CurrencyCodes.isIso4217(base), "base_currency", "'" + base + "' is not an ISO-4217 code");
        req.check(!stale.isNegative() && !stale.isZero(), "stale_after", "must be positive");
        List<String> fxOrder = section.strings("fx_providers").stream().map(MarketDataConfig::canonical).toList();
        for (String id : fxOrder) {
            req.check(chain.contains(id), "fx_providers",
                    "'" + id + "' is not in primary_provider or fallback_providers");
        }

        int cacheMax = section.integer("cache_max_entries", DEFAULT_CACHE_MAX_ENTRIES);
        req.check(cacheMax >= 1, "cache_max_entries", "must be at least 1 but was " + cacheMax);
        req.check(!cache.isNegative(), "cache_duration", "must not be negative but was " + cache);

        OkHttpClient shared = new OkHttpClient();
        // on the context clock, so cache lifetimes follow the same time as every other decision (and tests)
        ResponseCache<Object> responses = ResponseCache.create(Math.max(1, cacheMax),
                () -> context.clock().millis() * 1_000_000L);
        List<QuoteProvider> providers = new ArrayList<>();
        Map<String, Map<String, String>> symbolMaps = new LinkedHashMap<>();
        for (String id : chain) {
            if (!DEFAULTS.containsKey(id)) {
                continue;
            }
            ConfigSection p = provider(section, id);
            Defaults d = DEFAULTS.get(id);
            Optional<Secret> key = p.secret("api_key");
            List<String> unset = p.unsetVariables("api_key");
            req.check(!d.needsKey() || key.isPresent(), id + ".api_key", unset.isEmpty()
                    ? "missing (a secret: set it in the environment or .env, referenced as ${VAR})"
                    : "missing: ${" + String.join("}, ${", unset) + "} is not set in the environment or .env");
            Optional<ProviderSettings> settings = req.attempt(() -> settings(id, p, d, cache, key, context));
            req.attempt(() -> symbolMap(p)).filter(m -> !m.isEmpty()).ifPresent(m -> symbolMaps.put(id, m));
            settings.ifPresent(s -> providers.add(switch (id) {
                case TiingoProvider.ID -> new TiingoProvider(s, shared, responses);
                case YahooProvider.ID -> new YahooProvider(s, shared, responses);
                case AlphaVantageProvider.ID -> new AlphaVantageProvider(s, shared, responses);
                default -> new FredProvider(s, shared, responses);
            }));
        }
        req.validate();
        MarketDataConnector.Builder builder = MarketDataConnector.builder();
        symbolMaps.forEach(builder::symbolMap);
        return builder
                .providers(providers)
                .fxProviders(fxOrder)
                .baseCurrency(base)
                .staleAfter(stale)
                .fxLookbackDays((int) Math.max(0, lookback.toDays()))
                .cacheMaxEntries(cacheMax)
                .healthSymbol(section.string("health_symbol", "SPY"))
                .clock(context.clock())
                .build();
    }

    private static ProviderSettings settings(String id, ConfigSection p, Defaults d, Duration sectionCache,
                                             Optional<Secret> key, ConnectorContext context) {
        List<String> problems = new ArrayList<>();
        HttpUrl url = null;
        try {
            url = ApiClient.baseUrl(id, p.keyPath("base_url"), p.string("base_url", d.baseUrl()));
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
        }
        Duration ttl = p.duration("cache_duration").orElse(sectionCache);
        List<RateLimit> limits = new ArrayList<>();
        addLimit(limits, p, "rate_limit_per_second", Duration.ofSeconds(1), problems);
        if (!addLimit(limits, p, "rate_limit_per_minute", Duration.ofMinutes(1), problems)) {
            addLimit(limits, p, "rate_limit", Duration.ofMinutes(1), problems);
        }
        addLimit(limits, p, "rate_limit_per_hour", Duration.ofHours(1), problems);
        addLimit(limits, p, "rate_limit_per_day", Duration.ofDays(1), problems);
        if (limits.isEmpty()) {
            limits.addAll(d.limits());
        }
        Duration maxWait = p.duration("rate_limit_max_wait").orElse(DEFAULT_MAX_WAIT);
        if (maxWait.isZero() || maxWait.isNegative()) {
            problems.add(p.keyPath("rate_limit_max_wait") + ": must be positive (such as 1s) but was " + maxWait);
        }
        int attempts = p.integer("retry_attempts", 2);
        if (attempts < 1) {
            problems.add(p.keyPath("retry_attempts") + ": must be at least 1 but was " + attempts);
        }
        int batch = p.integer("batch_size", 100);
        if (batch < 1) {
            problems.add(p.keyPath("batch_size") + ": must be at least 1 but was " + batch);
        }
        int historyMax = p.integer("history_max_symbols", DEFAULT_HISTORY_MAX_SYMBOLS);
        if (historyMax < 1) {
            problems.add(p.keyPath("history_max_symbols") + ": must be at least 1 but was " + historyMax);
        }
        if (p.has("cache_duration") && ttl.isNegative()) {
            problems.add(p.keyPath("cache_duration") + ": must not be negative but was " + ttl);
        }
        String outputSize = p.string("outputsize", "auto").toLowerCase(Locale.ROOT);
        if (!List.of("auto", "compact", "full").contains(outputSize)) {
            problems.add(p.keyPath("outputsize") + ": expected auto, compact or full but was '" + outputSize + "'");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(null, problems);
        }
        List<RateLimit> finalLimits = List.copyOf(limits);
        // a market-data key serves every portfolio, and a keyless provider counts per IP: in a clustered
        // deployment every instance spends the same budget, so it is a shared limit
        RateLimiter limiter = context.rateLimiters().sharedLimiterFor(id, key.map(Secret::reveal).orElse(""),
                maxWait, finalLimits);
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(Math.max(1, attempts))
                .maxRetryAfter(Duration.ofSeconds(10)).build();
        return new ProviderSettings(id, url, key, ttl, Optional.of(limiter), retry, batch, outputSize, historyMax,
                context.clock());
    }

    private static Map<String, String> symbolMap(ConfigSection p) {
        List<String> problems = new ArrayList<>();
        Map<String, String> m = SymbolMap.parse(p.keyPath("symbol_map"), p.asMap().get("symbol_map"), problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(null, problems);
        }
        return m;
    }

    private static boolean addLimit(List<RateLimit> limits, ConfigSection p, String key, Duration period,
                                    List<String> problems) {
        if (!p.has(key)) {
            return false;
        }
        int n = p.integer(key, 0);
        if (n < 1) {
            problems.add(p.keyPath(key) + ": must be at least 1 but was " + n);
            return true;
        }
        limits.add(new RateLimit(n, period));
        return true;
    }
}
