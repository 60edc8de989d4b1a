package io.foliosync.connectors.schwab;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.FolioSyncVersion;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.HttpClients;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiter;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.http.RetryPolicy;
import io.foliosync.connectors.api.http.Sleeper;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.schwab.internal.AccountNumbers;
import io.foliosync.connectors.schwab.internal.ApiMapper;
import io.foliosync.connectors.schwab.internal.LoopbackCallbackServer;
import io.foliosync.connectors.schwab.internal.OAuthClient;
import io.foliosync.connectors.schwab.internal.SchwabIds;
import io.foliosync.connectors.schwab.internal.TokenManager;
import io.foliosync.connectors.schwab.internal.TokenStore;
import io.foliosync.connectors.schwab.internal.TraderApi;
import io.foliosync.connectors.schwab.internal.TraderApi.AccountRef;
import io.foliosync.connectors.schwab.internal.TransactionWindows;
import io.foliosync.connectors.schwab.internal.TransactionWindows.Window;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charles Schwab through the Trader API (OAuth2 authorization code): the source {@value #SOURCE_ID}. The CSV
 * exports from schwab.com are a separate source, {@link SchwabCsvConnector}, so an expired authorization or
 * an API outage fails only this source's sync and never moves the CSV source's cursor (or the reverse).
 *
 * <p>Authorize once in a browser, then sync until the refresh token runs out 7 days later:
 * <pre>{@code
 * SchwabConnector schwab = SchwabConnector.builder(context)
 *         .clientId(appKey).clientSecret(Secret.of(appSecret)).build();
 * schwab.authorizeInteractively(url -> System.out.println("Open " + url), Duration.ofMinutes(5));
 * schwab.authenticate();
 * List<Holding> holdings = schwab.getHoldings();
 * }</pre>
 * Without a loopback callback (an https redirect URI), show {@link #authorizationUrl()} to the user and pass
 * the URL the browser lands on to {@link #completeAuthorization(String)}.
 *
 * <p>Accounts are identified by Schwab's account hash; plain account numbers are never logged in full.
 */
@API(status = INTERNAL, since = "0.1")
public final class SchwabConnector extends AbstractConnector {
    /** The seed's callback; Schwab requires https for any registered callback that is not on loopback. */
    /** This source's id: the Trader API, every account the authorization reaches. */
    public static final String SOURCE_ID = SchwabIds.SOURCE;
    public static final String DEFAULT_REDIRECT_URI = "http://localhost:5000/auth/schwab/callback";
    public static final String DEFAULT_BASE_URL = "https://api.schwabapi.com";
    /** Schwab's documented Trader API limit. */
    public static final int REQUESTS_PER_MINUTE = 120;
    /** The API and the CSV folder are separate sources: the CSV one keeps syncing while this one cannot. */
    private static final String CSV_HINT = "; the schwab-csv source (schwab.csv_fallback) imports the exports "
            + "downloaded from schwab.com independently of the API";
    private static final Duration STATE_LIFETIME = Duration.ofMinutes(15);
    private static final Logger LOG = LoggerFactory.getLogger(SchwabConnector.class);
    private static final ConnectorMetadata METADATA = new ConnectorMetadata(SchwabIds.SOURCE, ConnectorType.BROKER,
            FolioSyncVersion.get(), "Charles Schwab brokerage accounts through the Trader API (OAuth2)",
            Set.of(AssetClass.STOCK, AssetClass.ETF, AssetClass.OPTION, AssetClass.MUTUAL_FUND, AssetClass.BOND,
                    AssetClass.FUTURE, AssetClass.CASH),
            true, true, Optional.of(REQUESTS_PER_MINUTE),
            Optional.of(URI.create("https://developer.schwab.com/products/trader-api--individual")));

    private final OAuthClient oauth;
    private final TokenManager tokens;
    private final TraderApi api;
    private final String redirectUri;
    private final Duration window;
    private final Duration lookback;
    private final SecureRandom random = new SecureRandom();
    private final AtomicReference<PendingState> pendingState = new AtomicReference<>();
    private volatile List<AccountRef> accountRefs = List.of();
    /**
     * The positions answer read for {@link #fetchAccounts()}, handed to the next {@link #fetchHoldings()} once: a
     * sync asks for accounts and then holdings, and both come from the same {@code accounts?fields=positions}
     * call, so a sync makes it once. Kept only briefly, so a later caller never sees old positions.
     */
    private final AtomicReference<PositionsRead> lastPositions = new AtomicReference<>();

    /** How long a positions answer read for the accounts may stand in for the holdings that follow them. */
    static final Duration POSITIONS_REUSE = Duration.ofSeconds(60);

    private record PositionsRead(List<Object> entries, Instant at) {
    }

    private record PendingState(String value, Instant createdAt) {
    }

    private SchwabConnector(Builder b) {
        super(b.clock);
        this.redirectUri = b.redirectUri;
        this.window = b.window;
        this.lookback = b.lookback;
        HttpUrl base = ApiClient.baseUrl(SchwabIds.SOURCE, "schwab.base_url", b.baseUrl);
        RateLimiter limiter = b.rateLimiters.limiterFor(SchwabIds.SOURCE, b.clientId,
                () -> RateLimiter.of(SchwabIds.SOURCE, Duration.ofSeconds(90),
                        RateLimit.perMinute(REQUESTS_PER_MINUTE)));
        HttpClients.Builder http = HttpClients.builder(SchwabIds.SOURCE).rateLimiter(limiter)
                .retryPolicy(b.retryPolicy).clock(b.clock);
        if (b.sleeper != null) {
            http.sleeper(b.sleeper);
        }
        ApiClient apiClient = ApiClient.of(SchwabIds.SOURCE, http.build(), b.clock);
        this.oauth = new OAuthClient(apiClient, base, b.clientId, b.clientSecret, b.redirectUri, b.clock);
        this.tokens = new TokenManager(new TokenStore(b.tokenStore, b.cipher), oauth, b.clock, b.listener);
        this.api = new TraderApi(apiClient, base, tokens);
    }

    /** @return a builder taking clock, cipher, rate limiters and the default token store from {@code context} */
    public static Builder builder(ConnectorContext context) {
        return new Builder().clock(context.clock()).cipher(context.cipher()).rateLimiters(context.rateLimiters())
                .tokenStore(defaultTokenStore(context.dataDirectory()));
    }

    /** @return the token store used when none is configured: {@code <dataDirectory>/schwab/tokens.enc} */
    public static Path defaultTokenStore(Path dataDirectory) {
        return dataDirectory.resolve("schwab").resolve("tokens.enc");
    }

    @Override
    public ConnectorMetadata metadata() {
        return METADATA;
    }

    /** @return {@value #SOURCE_ID}; records keep {@code source} = {@code schwab} like the CSV source's */
    @Override
    public String sourceId() {
        return SOURCE_ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.ACCOUNTS, Capability.HOLDINGS, Capability.TRANSACTIONS);
    }

    // ------------------------------------------------------------------------------------------- OAuth

    /**
     * Builds the URL the user opens in a browser, with a fresh random {@code state}; only the latest URL's
     * state is accepted by {@link #completeAuthorization(String)}, for 15 minutes.
     */
    public URI authorizationUrl() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        pendingState.set(new PendingState(state, clock.instant()));
        return oauth.authorizeUrl(state).uri();
    }

    /**
     * Completes the authorization with the URL Schwab redirected the browser to: checks {@code state},
     * exchanges the code at once (it is valid for about 30 seconds) with HTTP Basic client authentication, and
     * stores the tokens encrypted.
     *
     * @throws AuthenticationException when the state does not match (refused as possible CSRF), Schwab
     *                                 reported an error, or the code was refused
     */
    public void completeAuthorization(String callbackUrl) {
        HttpUrl url = callbackUrl == null ? null : HttpUrl.parse(callbackUrl.trim());
        if (url == null) {
            throw new AuthenticationException(SchwabIds.SOURCE, "the callback URL is not an http(s) URL: paste the "
                    + "whole address the browser was redirected to");
        }
        String error = url.queryParameter("error");
        PendingState expected = pendingState.getAndSet(null); // one use, success or not
        if (error != null) {
            throw new AuthenticationException(SchwabIds.SOURCE, "Schwab refused the authorization: " + error
                    + Optional.ofNullable(url.queryParameter("error_description")).map(d -> " (" + d + ")").orElse("")
                    + "; authorize again");
        }
        String state = url.queryParameter("state");
        if (expected == null || state == null || !constantTimeEquals(expected.value(), state)) {
            LOG.warn("schwab: refused an OAuth callback whose state does not match the authorization request");
            throw new AuthenticationException(SchwabIds.SOURCE, "the callback's state does not match the "
                    + "authorization request: refused as a possible cross-site request forgery (CSRF); start the "
                    + "authorization again from FolioSync");
        }
        if (Duration.between(expected.createdAt(), clock.instant()).compareTo(STATE_LIFETIME) > 0) {
            throw new AuthenticationException(SchwabIds.SOURCE, "the authorization request is older than "
                    + STATE_LIFETIME.toMinutes() + " minutes: start it again");
        }
        String code = url.queryParameter("code");
        if (code == null || code.isBlank()) {
            throw new AuthenticationException(SchwabIds.SOURCE, "the callback URL has no code: authorize again");
        }
        tokens.install(oauth.exchangeCode(code));
        LOG.info("schwab: authorized; the authorization lasts until {}",
                tokens.refreshTokenExpiresAt().map(Instant::toString).orElse("?"));
    }

    /**
     * Runs the whole browser flow on a desktop: starts a loopback listener at the redirect URI, hands the
     * authorization URL to {@code showUrl} (print it, open a browser), waits for the callback, exchanges the
     * code and answers the browser with a success or failure page. The listener runs only during this call.
     *
     * @throws ConfigurationException  when the redirect URI is not an http URL on localhost/127.0.0.1
     * @throws AuthenticationException when the authorization fails or no callback arrives within {@code timeout}
     */
    public void authorizeInteractively(Consumer<URI> showUrl, Duration timeout) {
        URI redirect = URI.create(redirectUri);
        try (LoopbackCallbackServer server = LoopbackCallbackServer.start(redirect, this::completeAuthorization)) {
            showUrl.accept(authorizationUrl());
            server.await(timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + redirect + " for the Schwab callback (is another "
                    + "program using the port?)", e);
        } catch (TimeoutException e) {
            pendingState.set(null);
            throw new AuthenticationException(SchwabIds.SOURCE, "no callback from Schwab within " + timeout.toSeconds()
                    + " s: authorize again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthenticationException(SchwabIds.SOURCE, "interrupted while waiting for the Schwab callback");
        }
    }

    /** @return when the user must authorize again (7 days after the last authorization), when authorized */
    public Optional<Instant> authorizationExpiresAt() {
        return tokens.refreshTokenExpiresAt();
    }

    // ------------------------------------------------------------------------------------------- Connector

    @Override
    protected AuthenticationResult doAuthenticate() {
        try {
            tokens.accessToken();
            List<AccountRef> refs = api.accountNumbers();
            accountRefs = List.copyOf(refs);
            return AuthenticationResult.success("Schwab Trader API: " + refs.size() + " account(s) "
                    + refs.stream().map(AccountRef::masked).toList() + "; authorization valid until "
                    + tokens.refreshTokenExpiresAt().map(Instant::toString).orElse("?"));
        } catch (AuthenticationException e) {
            return AuthenticationResult.failure("the Trader API is not authorized: " + e.getMessage() + CSV_HINT);
        } catch (ConnectorException e) {
            return AuthenticationResult.failure("the Trader API is unavailable: " + e.getMessage() + CSV_HINT);
        }
    }

    @Override
    protected List<Account> fetchAccounts() {
        Map<String, String> hashes = hashesByNumber();
        List<Object> entries = api.accountsWithPositions();
        lastPositions.set(new PositionsRead(entries, clock.instant()));
        List<Account> out = new ArrayList<>();
        for (Object entry : entries) {
            hashFor(entry, hashes).ifPresent(hash -> out.add(ApiMapper.account(entry, hash)));
        }
        return out;
    }

    @Override
    protected List<Holding> fetchHoldings() {
        Map<String, String> hashes = hashesByNumber();
        PositionsRead read = lastPositions.getAndSet(null);
        List<?> entries = read != null && !clock.instant().isAfter(read.at().plus(POSITIONS_REUSE))
                ? read.entries() : api.accountsWithPositions();
        List<Holding> out = new ArrayList<>();
        for (Object entry : entries) {
            hashFor(entry, hashes).ifPresent(hash -> out.addAll(ApiMapper.holdings(entry, hash)));
        }
        return out;
    }

    @Override
    protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
        Instant now = clock.instant();
        Instant limit = now.minus(lookback);
        Instant until = query.until().filter(u -> u.isBefore(now)).orElse(now);
        Instant since = query.since().orElse(limit);
        if (since.isBefore(limit)) {
            LOG.info("schwab: the Trader API serves about {} days of history: transactions before {} are not "
                    + "requested; import older history from the schwab.com CSV export (the schwab-csv source)",
                    lookback.toDays(), limit);
            since = limit;
        }
        List<AccountRef> refs = query.accountId()
                .map(id -> accountRefs.stream().filter(r -> r.hash().equals(id)).toList())
                .orElse(accountRefs);
        if (!since.isBefore(until) || refs.isEmpty()) {
            return PagedResult.empty();
        }
        Deque<Task> tasks = new ArrayDeque<>();
        for (AccountRef ref : refs) {
            for (Window w : TransactionWindows.split(since, until, window)) {
                tasks.add(new Task(ref, w));
            }
        }
        return PagedResult.of(new TransactionPages(tasks, query));
    }

    private record Task(AccountRef ref, Window window) {
    }

    /** Fetches one window per page, as the caller consumes them. */
    private final class TransactionPages implements io.foliosync.connectors.api.PageFetcher<Transaction> {
        private final Deque<Task> tasks;
        private final TransactionQuery query;
        private final Set<String> seen = new HashSet<>();
        private int pages;


        TransactionPages(Deque<Task> tasks, TransactionQuery query) {
            this.tasks = tasks;
            this.query = query;
        }

        @Override
        public Page<Transaction> fetch(Optional<String> cursor) {
            Task task = tasks.poll();
            if (task == null) {
                return Page.last(List.of());
            }
            // The API's endDate is inclusive: stop a millisecond short of the half-open window's end.
            List<Object> raw = api.transactions(task.ref().hash(), task.window().start(),
                    task.window().end().minusMillis(1));
            if (raw.size() >= TransactionWindows.MAX_ROWS_PER_CALL && task.window().halves().size() == 2) {
                List<Window> halves = task.window().halves();
                LOG.debug("schwab: {} rows for {} hit the cap; splitting the window", raw.size(), task.ref());
                tasks.addFirst(new Task(task.ref(), halves.get(1)));
                tasks.addFirst(new Task(task.ref(), halves.get(0)));
                return next(List.of());
            }
            String endpoint = "GET /trader/v1/accounts/{hash}/transactions";
            List<Transaction> out = new ArrayList<>();
            for (Object o : raw) {
                if (o instanceof Map<?, ?> m) {
                    Transaction t = ApiMapper.transaction(m, task.ref().hash(), endpoint);
                    if (query.contains(t.date()) && seen.add(t.sourceId().orElseThrow())) {
                        out.add(t);
                    }
                }
            }
            out.sort(java.util.Comparator.comparing(Transaction::date));
            return next(out);
        }

        private Page<Transaction> next(List<Transaction> items) {
            pages++;
            return tasks.isEmpty() ? Page.last(items) : Page.of(items, "window-" + pages);
        }
    }

    @Override
    public HealthStatus healthCheck() {
        Instant start = clock.instant();
        long t0 = System.nanoTime();
        try {
            int n = api.accountNumbers().size();
            return HealthStatus.healthy("Schwab Trader API answered with " + n + " account(s)", start,
                    Duration.ofNanos(System.nanoTime() - t0));
        } catch (ConnectorException e) {
            return HealthStatus.unhealthy("Schwab Trader API: " + e.getMessage(), start);
        }
    }

    @Override
    protected void doDisconnect() {
        pendingState.set(null);
    }

    // ------------------------------------------------------------------------------------------- helpers

    private Map<String, String> hashesByNumber() {
        Map<String, String> m = new LinkedHashMap<>();
        accountRefs.forEach(r -> m.put(r.accountNumber(), r.hash()));
        return m;
    }

    private Optional<String> hashFor(Object entry, Map<String, String> hashes) {
        Object sa = entry instanceof Map<?, ?> m ? m.get("securitiesAccount") : null;
        Object number = sa instanceof Map<?, ?> s ? s.get("accountNumber") : null;
        String plain = number == null ? "" : number.toString();
        String hash = hashes.get(plain);
        if (hash == null) {
            // An account opened since authenticate(): look the hashes up again, once.
            List<AccountRef> refs = api.accountNumbers();
            accountRefs = List.copyOf(refs);
            refs.forEach(r -> hashes.put(r.accountNumber(), r.hash()));
            hash = hashes.get(plain);
        }
        if (hash == null) {
            LOG.warn("schwab: account {} has no hash in /accountNumbers; skipped", AccountNumbers.mask(plain));
        }
        return Optional.ofNullable(hash);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Configures a {@link SchwabConnector}; {@link #build()} names every missing setting at once. */
    public static final class Builder {
        private String clientId;
        private Secret clientSecret;
        private String redirectUri = DEFAULT_REDIRECT_URI;
        private String baseUrl = DEFAULT_BASE_URL;
        private Path tokenStore;
        private SecretCipher cipher;
        private Clock clock = Clock.systemUTC();
        private RateLimiterRegistry rateLimiters = RateLimiterRegistry.shared();
        private SchwabTokenListener listener = SchwabTokenListener.NONE;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Sleeper sleeper;
        private Duration window = TransactionWindows.DEFAULT_WINDOW;
        private Duration lookback = TransactionWindows.DEFAULT_LOOKBACK;

        private Builder() {
        }

        /** @param id the app key from developer.schwab.com */
        public Builder clientId(String id) { clientId = id; return this; }
        /** @param secret the app secret from developer.schwab.com */
        public Builder clientSecret(Secret secret) { clientSecret = secret; return this; }
        /** @param uri the callback registered with the app, character for character */
        public Builder redirectUri(String uri) { redirectUri = Objects.requireNonNull(uri); return this; }
        public Builder baseUrl(String url) { baseUrl = Objects.requireNonNull(url); return this; }
        /** @param file the encrypted token file */
        public Builder tokenStore(Path file) { tokenStore = Objects.requireNonNull(file); return this; }
        public Builder cipher(SecretCipher c) { cipher = Objects.requireNonNull(c); return this; }
        public Builder clock(Clock c) { clock = Objects.requireNonNull(c); return this; }
        public Builder rateLimiters(RateLimiterRegistry r) { rateLimiters = Objects.requireNonNull(r); return this; }
        public Builder listener(SchwabTokenListener l) { listener = Objects.requireNonNull(l); return this; }
        public Builder retryPolicy(RetryPolicy p) { retryPolicy = Objects.requireNonNull(p); return this; }
        /** @param s how retries wait; for tests */
        public Builder sleeper(Sleeper s) { sleeper = Objects.requireNonNull(s); return this; }
        /** @param d the span of one transactions request; at most 365 days (the API's range limit) */
        public Builder transactionWindow(Duration d) { window = Objects.requireNonNull(d); return this; }
        /** @param d how far back transactions are requested (the API keeps about one year) */
        public Builder lookback(Duration d) { lookback = Objects.requireNonNull(d); return this; }

        /** @throws ConfigurationException naming every missing or invalid setting */
        public SchwabConnector build() {
            List<String> problems = new ArrayList<>();
            if (clientId == null || clientId.isBlank()) {
                problems.add("schwab.client_id: missing (the app key from developer.schwab.com)");
            }
            if (clientSecret == null || clientSecret.isBlank()) {
                problems.add("schwab.client_secret: missing (the app secret; set it in the environment, "
                        + "referenced as ${VAR})");
            }
            if (cipher == null) {
                problems.add("schwab: no SecretCipher to encrypt the token store");
            }
            if (tokenStore == null) {
                problems.add("schwab.token_store: missing");
            }
            URI redirect;
            try {
                redirect = URI.create(redirectUri);
            } catch (IllegalArgumentException e) {
                redirect = null;
            }
            if (redirect == null || redirect.getScheme() == null || redirect.getHost() == null) {
                problems.add("schwab.redirect_uri: not a URL: '" + redirectUri + "'");
            } else if (!"https".equalsIgnoreCase(redirect.getScheme()) && !isLoopback(redirect.getHost())) {
                problems.add("schwab.redirect_uri: Schwab requires https for a callback that is not on "
                        + "localhost/127.0.0.1 (was " + redirectUri + ")");
            }
            if (HttpUrl.parse(baseUrl) == null) {
                problems.add("schwab.base_url: not an http(s) URL: '" + baseUrl + "'");
            }
            if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(365)) > 0) {
                problems.add("schwab.transaction_window_days: must be between 1 and 365 days (was " + window.toDays()
                        + ")");
            }
            if (lookback.isNegative() || lookback.isZero()) {
                problems.add("schwab.max_lookback_days: must be positive");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(SchwabIds.SOURCE, problems);
            }
            return new SchwabConnector(this);
        }

        private static boolean isLoopback(String host) {
            String h = host.toLowerCase(java.util.Locale.ROOT);
            return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1");
        }
    }
}
