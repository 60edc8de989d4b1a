package io.foliosync.connectors.crypto;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.FolioSyncException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.FolioSyncVersion;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.cache.CacheKey;
import io.foliosync.connectors.api.cache.ResponseCache;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.HttpClients;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.http.RetryPolicy;
import io.foliosync.connectors.api.http.Sleeper;
import io.foliosync.connectors.crypto.internal.AssetCodes;
import io.foliosync.connectors.crypto.internal.Calls;
import io.foliosync.connectors.crypto.internal.ErrorCodes;
import io.foliosync.connectors.crypto.internal.ClientContext;
import io.foliosync.connectors.crypto.internal.ExchangeClient;
import io.foliosync.connectors.crypto.internal.ExchangeClient.RawBalance;
import io.foliosync.connectors.crypto.internal.KrakenClient;
import io.foliosync.connectors.crypto.internal.OkxClient;
import io.foliosync.connectors.crypto.internal.PriceBook;
import io.foliosync.connectors.crypto.pacing.ExchangePacing;
import io.foliosync.connectors.crypto.pacing.KrakenTier;
import io.foliosync.connectors.crypto.pacing.Pacer;
import io.foliosync.connectors.crypto.pacing.PacingModel;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holdings and complete transaction history of any number of crypto exchange accounts (Kraken, OKX, Binance, Gate.io, HTX, Coinbase), read with
 * read-only API keys through XChange and, where XChange falls short, FolioSync's own signed calls. Every call
 * takes a permit from the limiter shared per exchange and API key.
 *
 * <pre>{@code
 * try (CryptoExchangeConnector c = CryptoExchangeConnector.builder()
 *         .exchange(ExchangeSettings.of(SupportedExchange.KRAKEN, key, secret, Optional.empty()))
 *         .build()) {
 *     AuthenticationResult auth = c.authenticate();          // per exchange: c.authenticationReport()
 *     List<Holding> holdings = c.getHoldings();
 *     try (PagedResult<Transaction> txs = c.getTransactions(TransactionQuery.since(lastCursor))) { ... }
 * }
 * }</pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class CryptoExchangeConnector extends AbstractConnector {
    private static final Logger LOG = LoggerFactory.getLogger(CryptoExchangeConnector.class);
    public static final String NAME = "crypto_exchanges";

    private final Map<String, ExchangeSettings> settings;
    private final RateLimiterRegistry registry;
    private final Sleeper sleeper;
    private final RetryPolicy retryPolicy;
    private final Duration tickerTtl;
    private final java.util.function.Function<ExchangeSettings, PacingModel> pacing;
    private final java.util.Random random = new java.security.SecureRandom();
    private final ResponseCache<PriceBook> tickers = ResponseCache.create(64);
    private final Map<String, ExchangeClient> clients = new ConcurrentHashMap<>();
    private final Map<String, String> report = new ConcurrentHashMap<>();

    private CryptoExchangeConnector(Builder b) {
        super(b.clock);
        Map<String, ExchangeSettings> map = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ExchangeSettings s : b.exchanges) {
            if (map.put(s.accountId(), s) != null) {
                problems.add("crypto_exchanges." + s.accountId() + ": configured twice");
            }
            if (s.exchange() == SupportedExchange.KRAKEN) {
                try {
                    Base64.getDecoder().decode(s.apiSecret().reveal());
                } catch (IllegalArgumentException e) {
                    problems.add("crypto_exchanges." + s.accountId() + ".api_secret: not base64; Kraken shows "
                            + "the private key in base64: copy it whole");
                }
            }
            s.baseUrl().ifPresent(u -> {
                if (HttpUrl.parse(u) == null) {
                    problems.add("crypto_exchanges." + s.accountId() + ".base_url: not an http(s) URL: '" + u + "'");
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(NAME, problems);
        }
        this.settings = Map.copyOf(map);
        this.registry = b.registry;
        this.sleeper = b.sleeper;
        this.retryPolicy = b.retryPolicy;
        this.tickerTtl = b.tickerTtl;
        this.pacing = b.pacing;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ConnectorMetadata metadata() {
        return new ConnectorMetadata(NAME, ConnectorType.CRYPTO_EXCHANGE, FolioSyncVersion.get(),
                "Balances, trades, deposits, withdrawals and rewards of crypto exchange accounts ("
                        + SupportedExchange.ids() + "; any other exchange whose XChange module is on the class path "
                        + "as a generic account)",
                Set.of(AssetClass.CRYPTO, AssetClass.CASH), false, true, Optional.empty(),
                Optional.of(URI.create("https://github.com/foliosync/foliosync/blob/main/docs/exchanges.md")));
    }

    /** @return for a connector of one account, the pacing time of the history pages known to remain */
    @Override
    public Optional<Duration> remainingTime() {
        if (settings.size() != 1) {
            return Optional.empty();
        }
        ExchangeClient client = clients.get(settings.keySet().iterator().next());
        return client == null ? Optional.empty() : client.remainingTime();
    }

    /**
     * @return the account's name ({@code kraken}, {@code kraken_2}) for a connector of one account, as
     *         {@link CryptoExchangeConnectorProvider} builds them; {@value #NAME} for one holding several
     */
    @Override
    public String sourceId() {
        return settings.size() == 1 ? settings.keySet().iterator().next() : NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.HOLDINGS, Capability.TRANSACTIONS, Capability.ACCOUNTS, Capability.BALANCES,
                Capability.PRICES);
    }

    /** @return the configured account ids (exchange ids), enabled or not */
    public Set<String> configuredExchanges() {
        return settings.keySet();
    }

    /** @return per configured exchange, the outcome of the last {@link #authenticate()}: {@code ok} or why not */
    public Map<String, String> authenticationReport() {
        return Map.copyOf(report);
    }

    @Override
    protected AuthenticationResult doAuthenticate() {
        report.clear();
        clients.clear();
        List<String> lines = new ArrayList<>();
        int ok = 0;
        int enabled = 0;
        String failure = "";
        for (ExchangeSettings s : settings.values()) {
            if (!s.enabled()) {
                report.put(s.accountId(), "disabled");
                continue;
            }
            enabled++;
            try {
                ExchangeClient client = client(s);
                client.balances();
                clients.put(s.accountId(), client);
                report.put(s.accountId(), "ok");
                lines.add(s.accountId() + ": ok");
                ok++;
            } catch (NetworkException e) {
                if (settings.size() == 1) {
                    // one account: an exchange that cannot be reached said nothing about the keys; the caller
                    // decides by this type (retry, "unreachable") rather than reading a refusal's message
                    throw e;
                }
                LOG.warn("{}: authentication failed: {}", s.accountId(), e.getMessage());
                failure = e.reason();
                report.put(s.accountId(), e.getMessage());
                lines.add(s.accountId() + ": failed: " + e.getMessage());
            } catch (FolioSyncException e) {
                // One account's wrong setup (an XChange module missing) fails that account, as a refused key does.
                LOG.warn("{}: authentication failed: {}", s.accountId(), e.getMessage());
                failure = e.reason();
                report.put(s.accountId(), e.getMessage());
                lines.add(s.accountId() + ": failed: " + e.getMessage());
            }
        }
        if (enabled == 0) {
            return AuthenticationResult.failure("no exchange is enabled under crypto_exchanges");
        }
        if (settings.size() == 1) {
            // one account, one source: its error is the result, named once by whoever reports it
            return ok == 1 ? AuthenticationResult.success("connected") : AuthenticationResult.failure(failure);
        }
        String message = String.join("; ", lines);
        return ok > 0 ? AuthenticationResult.success(ok + " of " + enabled + " exchanges connected: " + message)
                : AuthenticationResult.failure("no exchange connected: " + message);
    }

    @Override
    protected List<Account> fetchAccounts() {
        List<Account> out = new ArrayList<>();
        clients.keySet().stream().sorted().forEach(id -> {
            ExchangeSettings s = settings.get(id);
            String name = s.isGeneric() ? s.exchangeId() + " (" + id + ", generic XChange account)"
                    : s.exchange().id() + " (" + id + ")";
            out.add(new Account(id, name, AccountType.CRYPTO, s.quoteCurrency(),
                    AccountStatus.ACTIVE, Optional.empty(), id));
        });
        return out;
    }

    @Override
    protected List<Holding> fetchHoldings() {
        List<Holding> out = new ArrayList<>();
        clients.keySet().stream().sorted().forEach(id -> out.addAll(holdings(id)));
        return out;
    }

    @Override
    protected List<Holding> fetchHoldings(String accountId) {
        return clients.containsKey(accountId) ? holdings(accountId) : List.of();
    }

    private List<Holding> holdings(String id) {
        ExchangeSettings s = settings.get(id);
        ExchangeClient client = clients.get(id);
        record Key(String code, String variant, String wallet, String raw) {
        }
        Map<Key, BigDecimal> totals = new LinkedHashMap<>();
        for (RawBalance b : client.balances()) {
            AssetCodes.Asset a = AssetCodes.parse(b.rawAsset());
            totals.merge(new Key(a.code(), a.variant().orElse(""), b.wallet(), b.rawAsset()), b.amount(),
                    BigDecimal::add);
        }
        totals.entrySet().removeIf(e -> e.getValue().signum() == 0
                || e.getValue().abs().compareTo(s.dustThreshold()) < 0);
        if (totals.isEmpty()) {
            return List.of();
        }
        boolean needPrices = totals.keySet().stream().anyMatch(k -> !k.code().equals(s.quoteCurrency()));
        PriceBook book = needPrices ? tickers.get(CacheKey.of("tickers", id, s.exchangeId(),
                s.baseUrl().orElse("")), tickerTtl, client::prices) : new PriceBook();
        List<Holding> out = new ArrayList<>();
        totals.forEach((k, qty) -> {
            Optional<PriceBook.Quote> quote = book.value(k.code(), s.quoteCurrency());
            Holding.Builder h = Holding.builder()
                    .symbol(k.code())
                    .quantity(qty)
                    .currency(s.quoteCurrency())
                    .accountId(id)
                    .assetClass(AssetCodes.isFiat(k.code()) ? AssetClass.CASH : AssetClass.CRYPTO)
                    .source(id)
                    .attribute("raw_asset", k.raw())
                    .attribute("wallet", k.wallet())
                    .attribute("valuation", quote.map(PriceBook.Quote::path).orElse("no market"));
            if (!k.variant().isEmpty()) {
                h.attribute("variant", k.variant());
            }
            quote.ifPresent(q -> h.currentPrice(q.price()).marketValue(qty.multiply(q.price())));
            out.add(h.build());
        });
        return out;
    }

    @Override
    protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
        List<PagedResult<Transaction>> parts = new ArrayList<>();
        clients.keySet().stream().sorted()
                .filter(id -> query.accountId().map(id::equals).orElse(true))
                .forEach(id -> parts.add(clients.get(id).transactions(query, id)));
        return parts.isEmpty() ? PagedResult.empty() : PagedResult.concat(parts);
    }

    /** Checks every enabled exchange: server time, latency and the skew against the local clock. */
    @Override
    public HealthStatus healthCheck() {
        Instant checkedAt = clock.instant();
        Map<String, String> details = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        boolean allHealthy = true;
        Duration slowest = Duration.ZERO;
        for (ExchangeSettings s : settings.values()) {
            if (!s.enabled()) {
                continue;
            }
            HealthStatus h = healthCheck(s.accountId());
            allHealthy &= h.healthy();
            h.details().forEach((k, v) -> details.put(s.accountId() + "." + k, v));
            lines.add(s.accountId() + ": " + h.message());
            if (h.latency().isPresent() && h.latency().get().compareTo(slowest) > 0) {
                slowest = h.latency().get();
            }
        }
        return new HealthStatus(allHealthy && !lines.isEmpty(), lines.isEmpty() ? "no exchange is enabled"
                : String.join("; ", lines), checkedAt, Optional.of(slowest), details);
    }

    /** @return the health of one configured exchange; unhealthy, never an exception, when it cannot be reached */
    public HealthStatus healthCheck(String accountId) {
        ExchangeSettings s = settings.get(accountId);
        Instant before = clock.instant();
        if (s == null) {
            return HealthStatus.unhealthy(accountId + " is not configured; configured: " + settings.keySet(), before);
        }
        try {
            ExchangeClient client = clients.containsKey(accountId) ? clients.get(accountId) : client(s);
            long start = System.nanoTime();
            Instant server = client.serverTime();
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            Instant local = clock.instant();
            Duration skew = Duration.between(server, local);
            String msg = "server time " + server + ", local clock " + (skew.isNegative() ? "behind" : "ahead")
                    + " by " + skew.abs().toMillis() + " ms";
            boolean tooFar = skew.abs().compareTo(Duration.ofSeconds(5)) > 0;
            return new HealthStatus(!tooFar, tooFar ? msg + ": more than 5 s, signed requests may be refused; "
                    + "sync this machine's clock" : msg, before, Optional.of(latency),
                    Map.of("server_time", server.toString(), "skew_ms", Long.toString(skew.toMillis())));
        } catch (FolioSyncException e) {
            return HealthStatus.unhealthy(e.getMessage(), before);
        }
    }

    private ExchangeClient client(ExchangeSettings s) {
        if (s.isGeneric()) {
            return genericClient(s);
        }
        String base = s.baseUrl().orElse(s.exchange().defaultBaseUrl());
        HttpUrl url = ApiClient.baseUrl(s.accountId(), "crypto_exchanges." + s.accountId() + ".base_url", base);
        Pacer pacer = pacer(s, url);
        // One retry layer only: Calls, which signs every attempt afresh and paces each one. The OkHttp client must
        // not retry too, or one 429 would cost maxAttempts² requests and Kraken would see a repeated nonce.
        OkHttpClient http = HttpClients.builder(s.accountId()).retryPolicy(RetryPolicy.none())
                .sleeper(sleeper).clock(clock).build();
        Calls calls = new Calls(s.accountId(), url, pacer, sleeper, retryPolicy, random, ErrorCodes.of(s.exchange()));
        ClientContext ctx = new ClientContext(s.accountId(), url, s.apiKey(), s.apiSecret(), s.passphrase(),
                s.sandbox(), http, calls, clock, s.fundingOverlap(), sleeper, s.markets());
        try {
            return switch (s.exchange()) {
                case KRAKEN -> new KrakenClient(ctx);
                case OKX -> new OkxClient(ctx);
                case BINANCE -> new io.foliosync.connectors.crypto.internal.BinanceClient(ctx);
                case GATEIO -> new io.foliosync.connectors.crypto.internal.GateioClient(ctx);
                case HTX -> new io.foliosync.connectors.crypto.internal.HtxClient(ctx);
                case COINBASE -> new io.foliosync.connectors.crypto.internal.CoinbaseClient(ctx);
                case XCHANGE -> throw new IllegalStateException("a generic account is built by genericClient");
            };
        } catch (LinkageError e) {
            throw new ConfigurationException(s.accountId(), s.exchange().id() + " needs the optional dependency "
                    + "org.knowm.xchange:" + s.exchange().xchangeModule().orElse("xchange-" + s.exchange().id())
                    + ":5.2.1 on the class path (" + e + ")");
        } catch (RuntimeException e) {
            if (e instanceof FolioSyncException fe) {
                throw fe;
            }
            throw new ConfigurationException(s.accountId(), "could not set up XChange for " + s.exchange().id()
                    + ": " + e);
        }
    }

    /**
     * A generic account: the exchange built from XChange's {@code ExchangeSpecification}, its base URL the module's
     * unless configured, paced by what its module declares, called through the same {@link Calls} retry layer.
     * Bitstamp's history is read by {@link io.foliosync.connectors.crypto.internal.BitstampClient} (the module's
     * mixed {@code user_transactions} list cannot be read through the common services in full).
     */
    private ExchangeClient genericClient(ExchangeSettings s) {
        ExchangeSettings.Generic g = s.generic().orElseThrow();
        Map<String, io.foliosync.connectors.api.secrets.Secret> parameters = new LinkedHashMap<>(g.parameters());
        s.passphrase().ifPresent(p -> parameters.putIfAbsent("passphrase", p));
        org.knowm.xchange.Exchange exchange = io.foliosync.connectors.crypto.internal.XChangeSetup.create(
                s.accountId(), new io.foliosync.connectors.crypto.internal.XChangeSetup.Spec(g.exchange(),
                        s.apiKey(), s.apiSecret(), s.baseUrl(), s.sandbox(), g.userId(), parameters));
        String base = io.foliosync.connectors.crypto.internal.XChangeSetup.sslUri(exchange);
        HttpUrl url = ApiClient.baseUrl(s.accountId(), "crypto_exchanges." + s.accountId() + ".base_url", base);
        Pacer pacer = pacer(s, url);
        OkHttpClient http = HttpClients.builder(s.accountId()).retryPolicy(RetryPolicy.none())
                .sleeper(sleeper).clock(clock).build();
        Calls calls = new Calls(s.accountId(), url, pacer, sleeper, retryPolicy, random,
                ErrorCodes.of(SupportedExchange.XCHANGE));
        ClientContext ctx = new ClientContext(s.accountId(), url, s.apiKey(), s.apiSecret(), s.passphrase(),
                s.sandbox(), http, calls, clock, s.fundingOverlap(), sleeper, s.markets());
        if (g.exchange().exchangeClass().equals("org.knowm.xchange.bitstamp.BitstampExchange")) {
            return new io.foliosync.connectors.crypto.internal.BitstampClient(ctx, exchange, g.remoteMetadata());
        }
        return new io.foliosync.connectors.crypto.internal.GenericXChangeClient(ctx, exchange, g.exchange().id(),
                g.remoteMetadata());
    }

    /** @return what the generic accounts could not read (capabilities their XChange module lacks), once each */
    @Override
    public List<io.foliosync.connectors.api.DataWarning> takeWarnings() {
        List<io.foliosync.connectors.api.DataWarning> out = new ArrayList<>();
        clients.keySet().stream().sorted().forEach(id -> out.addAll(clients.get(id).takeWarnings()));
        return out;
    }

    /**
     * @return the account's pacer: budgets shared per key or per IP as the exchange counts them (so accounts with
     *         different keys never wait for each other on a per-key limit)
     */
    private Pacer pacer(ExchangeSettings s, HttpUrl url) {
        PacingModel model = pacing.apply(s);
        return Pacer.create(s.accountId(), model, registry, s.exchangeId() + ":" + s.apiKey().reveal(),
                url.host() + ":" + url.port(), clock, sleeper, Duration.ofMinutes(5));
    }

    /**
     * @return the pacer of a configured account, built when the account is first used: for a progress
     *         estimate ({@link Pacer#estimate(int, int)}); empty before {@link #authenticate()} or for an account
     *         not configured
     */
    public Optional<Pacer> pacer(String accountId) {
        return Optional.ofNullable(clients.get(accountId)).map(ExchangeClient::pacer);
    }

    /** @return the documented pacing of an account: its exchange's model, or the limit configured by hand */
    public static PacingModel documentedPacing(ExchangeSettings s) {
        if (s.rateLimit().isPresent()) {
            return ExchangePacing.configured(s.exchange().id(), s.rateLimit().get());
        }
        return switch (s.exchange()) {
            case KRAKEN -> ExchangePacing.kraken(s.tier().orElse(KrakenTier.STARTER));
            case BINANCE -> ExchangePacing.binance();
            case OKX -> ExchangePacing.okx();
            case GATEIO -> ExchangePacing.gateio();
            case HTX -> ExchangePacing.htx();
            case COINBASE -> ExchangePacing.coinbase();
            case XCHANGE -> ExchangePacing.generic(s.exchangeId(), io.foliosync.connectors.crypto.internal
                    .XChangeSetup.declaredLimit(s.accountId(), s.generic().orElseThrow().exchange()));
        };
    }

    /** Configures a {@link CryptoExchangeConnector}. */
    public static final class Builder {
        private final List<ExchangeSettings> exchanges = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private RateLimiterRegistry registry = RateLimiterRegistry.shared();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration tickerTtl = Duration.ofSeconds(60);
        private java.util.function.Function<ExchangeSettings, PacingModel> pacing =
                CryptoExchangeConnector::documentedPacing;

        private Builder() {
        }

        public Builder exchange(ExchangeSettings s) { exchanges.add(Objects.requireNonNull(s)); return this; }
        public Builder exchanges(List<ExchangeSettings> list) { list.forEach(this::exchange); return this; }
        public Builder clock(Clock c) { clock = Objects.requireNonNull(c); return this; }
        /** @param r where limiters are shared per exchange and API key; the process-wide one by default */
        public Builder rateLimiters(RateLimiterRegistry r) { registry = Objects.requireNonNull(r); return this; }
        /** @param s how retries wait; replaced in tests */
        public Builder sleeper(Sleeper s) { sleeper = Objects.requireNonNull(s); return this; }
        /**
         * @param p attempts, backoff and the longest {@code Retry-After} waited out, for every call; applied once,
         *          by the module's own retry layer (the HTTP client itself never retries)
         */
        public Builder retryPolicy(RetryPolicy p) { retryPolicy = Objects.requireNonNull(p); return this; }
        /** @param ttl how long tickers are reused for valuation; 60 s by default */
        public Builder tickerTtl(Duration ttl) { tickerTtl = Objects.requireNonNull(ttl); return this; }

        /**
         * @param p the pacing model of each account; {@link #documentedPacing} by default. A bench against a
         *          stand-in passes the documented model sped up ({@link PacingModel#speedUp})
         */
        public Builder pacing(java.util.function.Function<ExchangeSettings, PacingModel> p) {
            pacing = Objects.requireNonNull(p);
            return this;
        }

        /** @throws ConfigurationException naming every invalid exchange setting */
        public CryptoExchangeConnector build() {
            return new CryptoExchangeConnector(this);
        }
    }
}
