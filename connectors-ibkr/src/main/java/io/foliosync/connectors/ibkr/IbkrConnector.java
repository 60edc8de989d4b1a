package io.foliosync.connectors.ibkr;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.HttpClients;
import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.api.http.RateLimiter;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.http.Sleeper;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.ibkr.internal.ClientPortalClient;
import io.foliosync.connectors.ibkr.internal.FlexWebServiceClient;
import io.foliosync.connectors.ibkr.internal.FlexXmlReader;
import io.foliosync.connectors.ibkr.internal.GatewayTrust;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive Brokers: live positions, cash balances and the last days' trades from the Client Portal
 * gateway, and the complete history (trades, dividends, withholding tax, interest, fees, deposits,
 * withdrawals, transfers, corporate actions) from Flex statements — fetched through the Flex Web Service or
 * read from files a user downloaded.
 *
 * <pre>{@code
 * try (IbkrConnector ibkr = IbkrConnector.builder()
 *         .flexToken(Secret.of(System.getenv("IBKR_FLEX_TOKEN")))
 *         .flexQueryIds(List.of("123456"))
 *         .dataDirectory(Path.of("data"))
 *         .build()) {
 *     if (ibkr.authenticate().success()) { ibkr.getHoldings(); }
 * }
 * }</pre>
 *
 * <p>Holdings: live from the gateway; with {@code clientPortal(false)} (Flex only), the open positions and
 * per-currency cash of each account's latest Flex statement (the configured files and the statements of the
 * configured queries; a downloaded statement is reused by the same sync's transactions for
 * {@code flexStatementReuse}, default 15 minutes, and deleted when replaced or on {@link #close()}).
 *
 * <p>Transactions: Flex history first; then the gateway's {@code /iserver/account/trades} (which covers only
 * the last {@code transactionLookbackDays}, at most 7) for days after the Flex statements end, so a trade is
 * never reported by both.
 */
public final class IbkrConnector extends AbstractConnector {
    /** The connector id and the source of every record. */
    public static final String NAME = "ibkr";
    public static final String DEFAULT_BASE_URL = "https://localhost:5000/v1/api";
    private static final Logger LOG = LoggerFactory.getLogger(IbkrConnector.class);
    private static final DateTimeFormatter CP_TRADE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss");

    /** How requests to the gateway are authorized. */
    public enum AuthType {
        /** the gateway holds the session the user logged in to in a browser */
        GATEWAY,
        /** an OAuth/JWT bearer token sent with each request */
        JWT
    }

    private final Settings s;
    private final FlexStatementParser parser;
    private final ClientPortalClient portal;
    private final FlexWebServiceClient flex;
    private final ScheduledExecutorService keepAlive;
    private final Map<String, String> contractCurrencies = new ConcurrentHashMap<>();
    private final Map<String, Downloaded> statements = new java.util.HashMap<>();
    private volatile List<Map<String, Object>> portalAccounts = List.of();
    private volatile boolean keepAliveStarted;

    private IbkrConnector(Settings s) {
        super(s.clock);
        this.s = s;
        this.parser = FlexStatementParser.create(s.timeZone, s.pageSize);
        OkHttpClient shared = HttpClients.builder(NAME).clock(s.clock).sleeper(s.sleeper).base(s.httpBase).build();
        if (s.clientPortal) {
            HttpClients.Builder gw = HttpClients.builder(NAME).clock(s.clock).sleeper(s.sleeper).base(s.httpBase);
            gw.rateLimiter(s.rateLimiters.limiterFor("ibkr-gateway", s.baseUrl.host() + ":" + s.baseUrl.port(),
                    () -> RateLimiter.of("ibkr-gateway", Duration.ofSeconds(30), RateLimit.perSecond(10))));
            OkHttpClient pinned = GatewayTrust.clientFor(gw.build(), s.baseUrl, new GatewayTrust.Settings(
                    s.certificateFile, s.sha256Fingerprint, s.trustOnFirstUse, s.pinFile(), s.expiryWarning,
                    s.clock), NAME);
            this.portal = new ClientPortalClient(ApiClient.of(NAME, pinned, s.clock), s.baseUrl,
                    s.authType == AuthType.JWT ? s.bearerToken : Optional.empty());
            this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ibkr-keepalive");
                t.setDaemon(true);
                return t;
            });
        } else {
            this.portal = null;
            this.keepAlive = null;
        }
        if (s.flexToken.isPresent() && !s.flexQueryIds.isEmpty()) {
            OkHttpClient flexHttp = shared.newBuilder().build();
            if (s.flexRateLimited) {
                flexHttp = HttpClients.builder(NAME).clock(s.clock).sleeper(s.sleeper).base(s.httpBase)
                        .rateLimiter(s.rateLimiters.limiterFor("ibkr-flex", s.flexToken.get().reveal(),
                                () -> RateLimiter.of("ibkr-flex", Duration.ofSeconds(70), RateLimit.perSecond(1),
                                        RateLimit.perMinute(10))))
                        .build();
            }
            this.flex = new FlexWebServiceClient(NAME, flexHttp, s.flexBaseUrl, s.flexToken.get(), s.sleeper,
                    s.flexMaxPolls, s.flexInitialDelay, s.flexMaxDelay);
        } else {
            this.flex = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ConnectorMetadata metadata() {
        return new ConnectorMetadata(NAME, ConnectorType.BROKER, "1.0",
                "Interactive Brokers: Client Portal gateway positions and Flex Web Service history",
                Set.of(AssetClass.STOCK, AssetClass.ETF, AssetClass.OPTION, AssetClass.FUTURE, AssetClass.BOND,
                        AssetClass.FOREX, AssetClass.MUTUAL_FUND, AssetClass.CASH, AssetClass.CRYPTO),
                false, s.flexToken.isPresent(), Optional.of(600),
                Optional.of(URI.create("https://www.interactivebrokers.com/campus/ibkr-api-page/cpapi-v1/")));
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> c = EnumSet.of(Capability.TRANSACTIONS);
        c.add(Capability.HOLDINGS); // Flex-only: the latest statement's open positions and cash report
        if (portal != null) {
            c.add(Capability.ACCOUNTS);
            c.add(Capability.BALANCES);
        }
        return c;
    }

    /** @return the gateway's login page, which the user opens to log in */
    String loginPage() {
        return s.baseUrl.scheme() + "://" + s.baseUrl.host() + ":" + s.baseUrl.port();
    }

    @Override
    protected AuthenticationResult doAuthenticate() {
        if (portal == null) {
            String flexState = describeFlex();
            if (flex == null && s.flexFiles.isEmpty()) {
                return AuthenticationResult.failure("nothing to read: enable the Client Portal gateway or "
                        + "configure interactive_brokers.flex");
            }
            return AuthenticationResult.success("Client Portal disabled; " + flexState);
        }
        try {
            ensureSession();
            portalAccounts = portal.accounts(); // must precede every other /portfolio call
        } catch (AuthenticationException e) {
            return AuthenticationResult.failure(e.getMessage());
        } catch (ConnectorException e) {
            return AuthenticationResult.failure("cannot reach the Client Portal gateway at " + loginPage()
                    + ": start it (bin/run.sh root/conf.yaml in the gateway's folder), log in at " + loginPage()
                    + ", then try again (" + e.getMessage() + ")");
        }
        List<String> known = portalAccounts.stream().map(a -> text(a, "id").orElse("")).toList();
        List<String> missing = s.accounts.stream().filter(a -> !known.contains(a)).toList();
        if (!missing.isEmpty()) {
            return AuthenticationResult.failure("interactive_brokers.accounts names " + missing
                    + ", which this login cannot see (it sees " + known + ")");
        }
        startKeepAlive();
        return AuthenticationResult.success("logged in to the Client Portal gateway at " + loginPage() + "; "
                + known.size() + " account(s); " + describeFlex());
    }

    private String describeFlex() {
        return flex == null && s.flexFiles.isEmpty() ? "no Flex history configured"
                : "Flex: " + s.flexQueryIds.size() + " query id(s), " + s.flexFiles.size() + " file(s)";
    }

    /** Checks the session; reauthenticates the brokerage session once when the gateway is logged in. */
    private void ensureSession() {
        ClientPortalClient.AuthStatus status;
        try {
            status = portal.authStatus();
        } catch (AuthenticationException e) {
            throw notLoggedIn();
        }
        if (status.authenticated()) {
            return;
        }
        LOG.info("{}: brokerage session not authenticated ({}); asking the gateway to reauthenticate", NAME,
                status.message());
        try {
            portal.reauthenticate();
            status = portal.authStatus();
        } catch (AuthenticationException e) {
            throw notLoggedIn();
        }
        if (!status.authenticated()) {
            throw notLoggedIn();
        }
    }

    private AuthenticationException notLoggedIn() {
        return new AuthenticationException(NAME, "the Client Portal gateway at " + loginPage() + " is not logged "
                + "in: open " + loginPage() + " in a browser on the machine running the gateway, log in with your "
                + "IBKR user name and password (and second factor), then try again");
    }

    /** Runs {@code call}; on a 401 re-checks the session once and retries, else fails with what to do. */
    private <T> T withSession(Supplier<T> call) {
        try {
            return call.get();
        } catch (AuthenticationException first) {
            LOG.info("{}: the gateway refused a call ({}); checking the session once", NAME, first.getMessage());
            try {
                ensureSession();
            } catch (AuthenticationException e) {
                markUnauthenticated();
                throw e;
            }
            try {
                return call.get();
            } catch (AuthenticationException again) {
                markUnauthenticated();
                throw notLoggedIn();
            }
        }
    }

    private void startKeepAlive() {
        if (keepAliveStarted || keepAlive == null) {
            return;
        }
        keepAliveStarted = true;
        long ms = s.keepAliveInterval.toMillis();
        keepAlive.scheduleWithFixedDelay(() -> {
            try {
                portal.tickle();
            } catch (RuntimeException e) {
                LOG.warn("{}: keep-alive /tickle failed: {}", NAME, e.getMessage());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** @return whether the keep-alive is scheduled and not stopped */
    boolean keepAliveRunning() {
        return keepAliveStarted && keepAlive != null && !keepAlive.isShutdown();
    }

    @Override
    protected void doDisconnect() {
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
        synchronized (statements) {
            statements.values().forEach(d -> deleteQuietly(d.file()));
            statements.clear();
        }
    }

    // ---- accounts and holdings ----

    private List<Map<String, Object>> selectedAccounts() {
        return portalAccounts.stream()
                .filter(a -> s.accounts.isEmpty() || s.accounts.contains(text(a, "id").orElse(""))).toList();
    }

    @Override
    protected List<Account> fetchAccounts() {
        List<Account> out = new ArrayList<>();
        for (Map<String, Object> a : selectedAccounts()) {
            String id = text(a, "id").orElseThrow(() -> DataFetchException.malformed(NAME, "GET /portfolio/accounts",
                    null, "id", "account without an id", null));
            String trading = text(a, "tradingType").orElse("").toUpperCase(java.util.Locale.ROOT);
            AccountType type = trading.contains("MRGN") || trading.contains("MARGIN") ? AccountType.MARGIN
                    : text(a, "type").orElse("").toUpperCase(java.util.Locale.ROOT).contains("IRA")
                    ? AccountType.RETIREMENT : AccountType.BROKERAGE;
            String currency = text(a, "currency").filter(CurrencyCodes::isWellFormed).orElse("USD");
            String name = text(a, "accountAlias").or(() -> text(a, "displayName")).or(() -> text(a, "desc")).orElse(id);
            AccountStatus status = text(a, "clearingStatus").map(c -> c.equals("O") ? AccountStatus.ACTIVE
                    : c.equals("C") ? AccountStatus.CLOSED : AccountStatus.UNKNOWN).orElse(AccountStatus.UNKNOWN);
            out.add(new Account(id, name, type, currency, status, Optional.empty(), NAME));
        }
        return out;
    }

    @Override
    protected List<Holding> fetchHoldings() {
        if (portal == null) {
            return flexHoldings();
        }
        List<Holding> out = new ArrayList<>();
        for (Map<String, Object> a : selectedAccounts()) {
            out.addAll(fetchHoldings(text(a, "id").orElseThrow()));
        }
        return out;
    }

    @Override
    protected List<Holding> fetchHoldings(String accountId) {
        if (portal == null) {
            return flexHoldings().stream().filter(h -> h.accountId().equals(accountId)).toList();
        }
        if (portalAccounts.stream().noneMatch(a -> accountId.equals(text(a, "id").orElse("")))
                || (!s.accounts.isEmpty() && !s.accounts.contains(accountId))) {
            return List.of();
        }
        List<Holding> out = new ArrayList<>();
        for (int page = 0; ; page++) {
            int p = page;
            List<Map<String, Object>> rows = withSession(() -> portal.positions(accountId, p));
            for (int i = 0; i < rows.size(); i++) {
                position(accountId, p, i, rows.get(i)).ifPresent(out::add);
            }
            if (rows.size() < s.positionsPageSize) {
                break;
            }
        }
        Map<String, Object> ledger = withSession(() -> portal.ledger(accountId));
        for (Map.Entry<String, Object> e : ledger.entrySet()) {
            if (e.getKey().equals("BASE") || !(e.getValue() instanceof Map<?, ?> m)) {
                continue;
            }
            String currency = e.getKey().toUpperCase(java.util.Locale.ROOT);
            if (!CurrencyCodes.isWellFormed(currency)) {
                continue;
            }
            BigDecimal cash = decimal(m.get("cashbalance"), "ledger." + e.getKey(), "cashbalance")
                    .orElse(BigDecimal.ZERO);
            if (cash.signum() == 0) {
                continue;
            }
            Holding.Builder h = Holding.builder().symbol(currency).quantity(cash).currentPrice(BigDecimal.ONE)
                    .marketValue(cash).currency(currency).accountId(accountId).assetClass(AssetClass.CASH).source(NAME);
            decimal(m.get("settledcash"), "ledger." + e.getKey(), "settledcash")
                    .ifPresent(v -> h.attribute("settledCash", v.toPlainString()));
            decimal(m.get("exchangerate"), "ledger." + e.getKey(), "exchangerate")
                    .ifPresent(v -> h.attribute("exchangeRate", v.toPlainString()));
            out.add(h.build());
        }
        return out;
    }

    /**
     * Flex-only holdings: for each account, the open positions and per-currency cash of its latest statement
     * among the configured files and the statements of the configured queries (downloaded now unless one was
     * downloaded within {@code flex.statement_reuse}).
     */
    private List<Holding> flexHoldings() {
        List<Path> files = new ArrayList<>(s.flexFiles);
        if (flex != null) {
            for (String queryId : s.flexQueryIds) {
                files.add(statement(queryId));
            }
        }
        return parser.holdings(files).stream()
                .filter(h -> s.accounts.isEmpty() || s.accounts.contains(h.accountId())).toList();
    }

    private Optional<Holding> position(String accountId, int page, int index, Map<String, Object> row) {
        String record = "page " + page + " [" + index + "]";
        String endpoint = "GET /portfolio/{accountId}/positions/{pageId}";
        BigDecimal qty = decimal(row.get("position"), record, "position").orElseThrow(() ->
                DataFetchException.malformed(NAME, endpoint, record, "position", "missing", null));
        if (qty.signum() == 0) {
            return Optional.empty(); // IBKR lists positions closed today with 0
        }
        String conid = text(row, "conid").orElse(null);
        String symbol = text(row, "ticker").or(() -> text(row, "contractDesc")).orElseThrow(() ->
                DataFetchException.malformed(NAME, endpoint, record + (conid == null ? "" : " conid " + conid),
                        "contractDesc", "missing", null));
        String currency = text(row, "currency").orElseThrow(() -> DataFetchException.malformed(NAME, endpoint,
                record, "currency", "missing", null));
        Holding.Builder h = Holding.builder().symbol(symbol).quantity(qty).currency(currency).accountId(accountId)
                .assetClass(FlexXmlReader.assetClass(text(row, "assetClass").orElse(null), null)).source(NAME);
        decimal(row.get("mktPrice"), record, "mktPrice").filter(p -> p.signum() >= 0).ifPresent(h::currentPrice);
        decimal(row.get("mktValue"), record, "mktValue").ifPresent(h::marketValue);
        // avgCost is per unit including the multiplier and always positive; IBKR's position is negative for
        // a short, so the product is the (negative) proceeds of a short, as Flex's costBasisMoney states it.
        decimal(row.get("avgCost"), record, "avgCost").ifPresent(c -> h.costBasis(c.multiply(qty)));
        text(row, "name").or(() -> text(row, "fullName")).ifPresent(h::name);
        if (conid != null) {
            h.externalId(conid);
            contractCurrencies.put(conid, currency);
        }
        for (String k : List.of("assetClass", "avgPrice", "unrealizedPnl", "realizedPnl", "multiplier",
                "listingExchange", "isin")) {
            text(row, k).ifPresent(v -> h.attribute(k, v));
        }
        try {
            return Optional.of(h.build());
        } catch (IllegalArgumentException e) {
            throw DataFetchException.malformed(NAME, endpoint, record, null, e.getMessage(), e);
        }
    }

    // ---- transactions ----

    @Override
    protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
        Predicate<Transaction> filter = t -> query.contains(t.date())
                && query.accountId().map(a -> a.equals(t.accountId())).orElse(true)
                && (s.accounts.isEmpty() || s.accounts.contains(t.accountId()));
        Map<String, LocalDate> flexCoveredUntil = new ConcurrentHashMap<>();
        java.util.function.Consumer<FlexStatementInfo> coverage = info -> info.toDate()
                .ifPresent(d -> flexCoveredUntil.merge(info.accountId(), d, (x, y) -> x.isAfter(y) ? x : y));
        List<PagedResult<Transaction>> parts = new ArrayList<>();
        for (Path file : s.flexFiles) {
            parts.add(parser.transactions(file, filter, coverage));
        }
        if (flex != null) {
            for (String queryId : s.flexQueryIds) {
                parts.add(lazy(() -> parser.transactions(statement(queryId), filter, coverage)));
            }
        }
        if (portal != null) {
            parts.add(lazy(() -> PagedResult.ofList(recentTrades(filter, flexCoveredUntil))));
        }
        return PagedResult.concat(parts);
    }

    /** A statement the Flex Web Service returned, kept for reuse until replaced or the connector closes. */
    private record Downloaded(Path file, Instant at) {
    }

    /**
     * @return the statement of {@code queryId}: the one downloaded less than {@code flex.statement_reuse} ago
     *         (so a sync's holdings and transactions come from one statement and one request), else a new one,
     *         which replaces (and deletes) the previous
     */
    private Path statement(String queryId) {
        synchronized (statements) {
            Downloaded previous = statements.get(queryId);
            Instant now = clock.instant();
            if (previous != null && !s.flexReuse.isZero() && Files.isRegularFile(previous.file())
                    && Duration.between(previous.at(), now).compareTo(s.flexReuse) < 0) {
                return previous.file();
            }
            Path file = download(queryId);
            statements.put(queryId, new Downloaded(file, now));
            if (previous != null) {
                deleteQuietly(previous.file());
            }
            return file;
        }
    }

    private Path download(String queryId) {
        Path dir = s.dataDirectory.resolve("ibkr").resolve("flex");
        Path file;
        try {
            Files.createDirectories(dir);
            // createTempFile makes the file readable by its owner only (POSIX): a statement is private data
            file = Files.createTempFile(dir, "statement-" + queryId.replaceAll("[^0-9A-Za-z]", "") + "-", ".xml");
        } catch (IOException e) {
            throw new DataFetchException(NAME, "GET /GetStatement", "cannot create a file in " + dir + ": " + e, e);
        }
        try {
            return flex.download(queryId, file);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("{}: could not delete {}: {}", NAME, file, e.toString());
        }
    }

    /** A part of the results that does its work only when the caller reaches it. */
    private static PagedResult<Transaction> lazy(Supplier<PagedResult<Transaction>> supplier) {
        Object[] state = new Object[2]; // [0] PagedResult, [1] iterator
        int[] n = {0};
        return PagedResult.of(cursor -> {
            if (state[0] == null) {
                PagedResult<Transaction> r = supplier.get();
                state[0] = r;
                state[1] = r.iterator();
            }
            @SuppressWarnings("unchecked")
            Iterator<Page<Transaction>> pages = (Iterator<Page<Transaction>>) state[1];
            if (!pages.hasNext()) {
                return Page.last(List.of());
            }
            Page<Transaction> p = pages.next();
            return new Page<>(p.items(), pages.hasNext() ? Optional.of("l" + (++n[0])) : Optional.empty());
        }, () -> {
            if (state[0] instanceof PagedResult<?> r) {
                r.close();
            }
        });
    }

    private List<Transaction> recentTrades(Predicate<Transaction> filter, Map<String, LocalDate> flexCoveredUntil) {
        List<Map<String, Object>> rows = withSession(() -> portal.trades(s.lookbackDays));
        List<Transaction> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Transaction t = recentTrade(i, rows.get(i));
            LocalDate covered = flexCoveredUntil.get(t.accountId());
            if (covered != null && !t.tradeDate().isAfter(covered)) {
                continue; // the Flex statement already holds it, under its tradeID
            }
            if (filter.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private Transaction recentTrade(int index, Map<String, Object> row) {
        String endpoint = "GET /iserver/account/trades";
        String execId = text(row, "execution_id").orElse(null);
        String record = execId == null ? "[" + index + "]" : "execution " + execId;
        String side = text(row, "side").orElseThrow(() -> DataFetchException.malformed(NAME, endpoint, record, "side",
                "missing", null));
        BigDecimal size = decimal(row.get("size"), record, "size").orElseThrow(() ->
                DataFetchException.malformed(NAME, endpoint, record, "size", "missing", null));
        BigDecimal price = decimal(row.get("price"), record, "price").orElse(null);
        boolean sell = side.equalsIgnoreCase("S") || side.equalsIgnoreCase("SELL");
        Instant when = decimal(row.get("trade_time_r"), record, "trade_time_r")
                .map(ms -> Instant.ofEpochMilli(ms.longValueExact()))
                .or(() -> text(row, "trade_time").map(t -> {
                    try {
                        return LocalDateTime.parse(t, CP_TRADE_TIME).toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException e) {
                        throw DataFetchException.malformed(NAME, endpoint, record, "trade_time",
                                "expected yyyyMMdd-HH:mm:ss (UTC) but was '" + t + "'", e);
                    }
                }))
                .orElseThrow(() -> DataFetchException.malformed(NAME, endpoint, record, "trade_time", "missing", null));
        String account = text(row, "account").or(() -> text(row, "accountCode")).orElseThrow(() ->
                DataFetchException.malformed(NAME, endpoint, record, "account", "missing", null));
        String conid = text(row, "conid").orElse(null);
        String currency = currencyOf(conid, account);
        BigDecimal gross = decimal(row.get("net_amount"), record, "net_amount")
                .orElse(price == null ? BigDecimal.ZERO : price.multiply(size));
        Transaction.Builder b = Transaction.builder()
                .date(when)
                .tradeDate(LocalDate.ofInstant(when, s.timeZone))
                .type(sell ? TransactionType.SELL : TransactionType.BUY)
                .quantity(sell ? size.abs().negate() : size.abs())
                .amount(sell ? gross.abs() : gross.abs().negate())
                .currency(currency)
                .feeCurrency(currency)
                .fees(decimal(row.get("commission"), record, "commission").map(BigDecimal::abs).orElse(BigDecimal.ZERO))
                .accountId(account)
                .source(NAME)
                .rawType(side);
        if (price != null) {
            b.price(price.abs());
        }
        text(row, "symbol").ifPresent(b::symbol);
        text(row, "company_name").ifPresent(b::name);
        text(row, "order_description").ifPresent(b::description);
        if (execId != null) {
            b.sourceId(execId);
            b.attribute("ibExecID", execId);
        }
        if (conid != null) {
            b.attribute("conid", conid);
        }
        text(row, "exchange").ifPresent(v -> b.attribute("exchange", v));
        text(row, "sec_type").ifPresent(v -> b.attribute("assetCategory", v));
        b.attribute("origin", "client_portal_recent_trades");
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw DataFetchException.malformed(NAME, endpoint, record, null, e.getMessage(), e);
        }
    }

    /** The trades endpoint has no currency: it comes from the contract, looked up once per conid. */
    private String currencyOf(String conid, String account) {
        if (conid != null) {
            String known = contractCurrencies.get(conid);
            if (known != null) {
                return known;
            }
            Optional<String> c = text(withSession(() -> portal.contractInfo(conid)), "currency")
                    .filter(CurrencyCodes::isWellFormed);
            if (c.isPresent()) {
                contractCurrencies.put(conid, c.get());
                return c.get();
            }
        }
        throw DataFetchException.malformed(NAME, "GET /iserver/account/trades", "account " + account, "conid",
                "cannot tell the trade's currency: no contract id or no currency for it", null);
    }

    @Override
    public HealthStatus healthCheck() {
        Instant now = clock.instant();
        if (portal == null) {
            return new HealthStatus(flex != null || !s.flexFiles.isEmpty(), "Client Portal disabled; "
                    + describeFlex() + " (the Flex Web Service is not contacted by a health check: each request "
                    + "generates a statement)", now, Optional.empty(), Map.of());
        }
        long start = System.nanoTime();
        try {
            ClientPortalClient.AuthStatus st = portal.authStatus();
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            if (st.authenticated()) {
                return HealthStatus.healthy("gateway at " + loginPage() + " is logged in", now, latency);
            }
            return new HealthStatus(false, "gateway at " + loginPage() + " answers but the brokerage session is "
                    + "not authenticated", now, Optional.of(latency), Map.of());
        } catch (ConnectorException e) {
            return HealthStatus.unhealthy("gateway at " + loginPage() + ": " + e.getMessage(), now);
        }
    }

    // ---- JSON helpers ----

    private static Optional<String> text(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return Optional.empty();
        }
        String s = v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v).trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static Optional<BigDecimal> decimal(Object v, String record, String field) {
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof BigDecimal d) {
            return Optional.of(d);
        }
        String s = String.valueOf(v).trim().replace(",", "");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(s));
        } catch (NumberFormatException e) {
            throw DataFetchException.malformed(NAME, null, record, field, "not a number: '" + v + "'", e);
        }
    }

    // ---- configuration ----

    /** Immutable settings, validated by the builder. */
    private static final class Settings {
        HttpUrl baseUrl;
        boolean clientPortal;
        AuthType authType;
        Optional<Secret> bearerToken;
        List<String> accounts;
        int lookbackDays;
        ZoneId timeZone;
        Duration keepAliveInterval;
        Optional<Path> certificateFile;
        Optional<String> sha256Fingerprint;
        boolean trustOnFirstUse;
        Optional<Path> pinFile;
        Duration expiryWarning;
        Optional<Secret> flexToken;
        List<String> flexQueryIds;
        HttpUrl flexBaseUrl;
        List<Path> flexFiles;
        int flexMaxPolls;
        Duration flexInitialDelay;
        Duration flexMaxDelay;
        boolean flexRateLimited;
        Duration flexReuse;
        Path dataDirectory;
        Clock clock;
        Sleeper sleeper;
        OkHttpClient httpBase;
        RateLimiterRegistry rateLimiters;
        int positionsPageSize;
        int pageSize;

        Path pinFile() {
            return pinFile.orElseGet(() -> dataDirectory.resolve("ibkr")
                    .resolve("gateway-" + baseUrl.host().replaceAll("[^0-9A-Za-z.-]", "_") + "-" + baseUrl.port()
                            + ".sha256"));
        }
    }

    /** Configures an {@link IbkrConnector}; {@link #build()} checks every setting at once. */
    public static final class Builder {
        private String baseUrl = DEFAULT_BASE_URL;
        private boolean clientPortal = true;
        private AuthType authType = AuthType.GATEWAY;
        private Secret bearerToken;
        private final List<String> accounts = new ArrayList<>();
        private int lookbackDays = 7;
        private ZoneId timeZone = FlexStatementParser.DEFAULT_ZONE;
        private Duration keepAliveInterval = Duration.ofMinutes(1);
        private Path certificateFile;
        private String sha256Fingerprint;
        private boolean trustOnFirstUse = true;
        private Path pinFile;
        private int expiryWarningDays = 30;
        private Secret flexToken;
        private final List<String> flexQueryIds = new ArrayList<>();
        private String flexBaseUrl = FlexWebServiceClient.DEFAULT_BASE_URL;
        private final List<Path> flexFiles = new ArrayList<>();
        private int flexMaxPolls = 10;
        private Duration flexInitialDelay = Duration.ofSeconds(5);
        private Duration flexMaxDelay = Duration.ofSeconds(60);
        private boolean flexRateLimited = true;
        private Duration flexReuse = Duration.ofMinutes(15);
        private Path dataDirectory = Path.of("data");
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private OkHttpClient httpBase = new OkHttpClient();
        private RateLimiterRegistry rateLimiters = RateLimiterRegistry.shared();
        private int positionsPageSize = 100;
        private int pageSize = 1000;

        private Builder() {
        }

        /** @param url the gateway's API root, default {@value IbkrConnector#DEFAULT_BASE_URL} */
        public Builder baseUrl(String url) { baseUrl = url; return this; }
        /** @param enabled whether to use the Client Portal gateway at all (false: Flex only) */
        public Builder clientPortal(boolean enabled) { clientPortal = enabled; return this; }
        public Builder authType(AuthType t) { authType = Objects.requireNonNull(t); return this; }
        /** @param token the bearer token sent when {@link AuthType#JWT} */
        public Builder bearerToken(Secret token) { bearerToken = token; return this; }
        /** @param ids the accounts to sync; empty for every account the login sees */
        public Builder accounts(Collection<String> ids) { accounts.clear(); accounts.addAll(ids); return this; }
        /** @param days how far back /iserver/account/trades looks, 1 to 7 */
        public Builder transactionLookbackDays(int days) { lookbackDays = days; return this; }
        /** @param zone the zone Flex times are written in (IBKR: America/New_York) */
        public Builder timeZone(ZoneId zone) { timeZone = Objects.requireNonNull(zone); return this; }
        public Builder keepAliveInterval(Duration d) { keepAliveInterval = Objects.requireNonNull(d); return this; }
        /** @param file the gateway's certificate (PEM or DER), trusted exactly and only for the gateway */
        public Builder gatewayCertificateFile(Path file) { certificateFile = file; return this; }
        /** @param hex the SHA-256 fingerprint of the gateway's certificate, colons allowed */
        public Builder gatewaySha256Fingerprint(String hex) { sha256Fingerprint = hex; return this; }
        /** @param tofu pin the first certificate a loopback gateway shows (default true) */
        public Builder trustOnFirstUse(boolean tofu) { trustOnFirstUse = tofu; return this; }
        /** @param file where the first-use pin is kept (default {@code <data>/ibkr/gateway-<host>-<port>.sha256}) */
        public Builder pinFile(Path file) { pinFile = file; return this; }
        /**
         * @param days warn (log, naming the gateway's host and the date) when the pinned gateway certificate has
         *             expired or expires within this many days (default 30; 0: only once expired)
         */
        public Builder gatewayCertificateExpiryWarningDays(int days) { expiryWarningDays = days; return this; }
        public Builder flexToken(Secret token) { flexToken = token; return this; }
        public Builder flexQueryIds(Collection<String> ids) { flexQueryIds.clear(); flexQueryIds.addAll(ids); return this; }
        public Builder flexBaseUrl(String url) { flexBaseUrl = url; return this; }
        /** @param files Flex statements downloaded by hand, read as history */
        public Builder flexFiles(Collection<Path> files) { flexFiles.clear(); flexFiles.addAll(files); return this; }
        /** @param n GetStatement attempts while IBKR answers 1019 "generation in progress" (default 10) */
        public Builder flexMaxPollAttempts(int n) { flexMaxPolls = n; return this; }
        /** @param d the first wait before GetStatement, doubled per attempt up to 60 s (default 5 s) */
        public Builder flexPollInterval(Duration d) { flexInitialDelay = Objects.requireNonNull(d); return this; }
        /**
         * @param d how long a downloaded Flex statement is reused by the next call that needs it, so one sync's
         *          holdings and transactions cost one statement (default 15 min; zero: download every time)
         */
        public Builder flexStatementReuse(Duration d) { flexReuse = Objects.requireNonNull(d); return this; }
        public Builder dataDirectory(Path dir) { dataDirectory = Objects.requireNonNull(dir); return this; }
        public Builder clock(Clock c) { clock = Objects.requireNonNull(c); return this; }
        public Builder sleeper(Sleeper sl) { sleeper = Objects.requireNonNull(sl); return this; }
        /** @param client a client whose connection pool is shared */
        public Builder httpClient(OkHttpClient client) { httpBase = Objects.requireNonNull(client); return this; }
        public Builder rateLimiters(RateLimiterRegistry r) { rateLimiters = Objects.requireNonNull(r); return this; }

        /** For tests: positions page size (IBKR: 100) and whether Flex calls wait for IBKR's 1/s limit. */
        Builder testing(int positionsPage, boolean flexLimited) {
            positionsPageSize = positionsPage;
            flexRateLimited = flexLimited;
            return this;
        }

        /** @throws io.foliosync.connectors.api.ConfigurationException naming every invalid setting */
        public IbkrConnector build() {
            List<String> problems = new ArrayList<>();
            Settings st = new Settings();
            st.baseUrl = parseUrl(baseUrl, "interactive_brokers.base_url", problems);
            st.flexBaseUrl = parseUrl(flexBaseUrl, "interactive_brokers.flex.base_url", problems);
            st.clientPortal = clientPortal;
            st.authType = authType;
            st.bearerToken = Optional.ofNullable(bearerToken).filter(t -> !t.isBlank());
            if (clientPortal && authType == AuthType.JWT && st.bearerToken.isEmpty()) {
                problems.add("interactive_brokers.bearer_token: missing (auth_type is jwt)");
            }
            st.accounts = List.copyOf(new LinkedHashSet<>(accounts));
            if (lookbackDays < 1 || lookbackDays > 7) {
                problems.add("interactive_brokers.transaction_lookback_days: must be 1 to 7 (the gateway's "
                        + "/iserver/account/trades covers at most 7 days) but was " + lookbackDays);
            }
            st.lookbackDays = lookbackDays;
            st.timeZone = timeZone;
            if (keepAliveInterval.isNegative() || keepAliveInterval.isZero()) {
                problems.add("interactive_brokers.keep_alive_interval: must be positive");
            }
            st.keepAliveInterval = keepAliveInterval;
            st.certificateFile = Optional.ofNullable(certificateFile);
            st.certificateFile.filter(f -> !Files.isRegularFile(f)).ifPresent(f ->
                    problems.add("interactive_brokers.tls.certificate_file: no such file: " + f));
            st.sha256Fingerprint = Optional.ofNullable(sha256Fingerprint).filter(v -> !v.isBlank());
            st.trustOnFirstUse = trustOnFirstUse;
            st.pinFile = Optional.ofNullable(pinFile);
            if (expiryWarningDays < 0) {
                problems.add("interactive_brokers.tls.expiry_warning_days: must not be negative but was "
                        + expiryWarningDays);
            }
            st.expiryWarning = Duration.ofDays(Math.max(0, expiryWarningDays));
            st.flexToken = Optional.ofNullable(flexToken).filter(t -> !t.isBlank());
            st.flexQueryIds = List.copyOf(flexQueryIds);
            if (!st.flexQueryIds.isEmpty() && st.flexToken.isEmpty()) {
                problems.add("interactive_brokers.flex.token: missing (flex.query_ids is set)");
            }
            if (st.flexToken.isPresent() && st.flexQueryIds.isEmpty()) {
                problems.add("interactive_brokers.flex.query_ids: missing (flex.token is set)");
            }
            st.flexFiles = List.copyOf(flexFiles);
            st.flexFiles.stream().filter(f -> !Files.isRegularFile(f)).forEach(f ->
                    problems.add("interactive_brokers.flex.files: no such file: " + f));
            if (!clientPortal && st.flexQueryIds.isEmpty() && st.flexFiles.isEmpty()) {
                problems.add("interactive_brokers: client_portal is false and no flex query_ids or files are set: "
                        + "nothing to read");
            }
            if (flexMaxPolls < 1) {
                problems.add("interactive_brokers.flex.max_poll_attempts: must be at least 1");
            }
            st.flexMaxPolls = flexMaxPolls;
            st.flexInitialDelay = flexInitialDelay;
            st.flexMaxDelay = flexMaxDelay.compareTo(flexInitialDelay) < 0 ? flexInitialDelay : flexMaxDelay;
            st.flexRateLimited = flexRateLimited;
            if (flexReuse.isNegative()) {
                problems.add("interactive_brokers.flex.statement_reuse: must not be negative");
            }
            st.flexReuse = flexReuse;
            st.dataDirectory = dataDirectory;
            st.clock = clock;
            st.sleeper = sleeper;
            st.httpBase = httpBase;
            st.rateLimiters = rateLimiters;
            st.positionsPageSize = positionsPageSize;
            st.pageSize = pageSize;
            if (!problems.isEmpty()) {
                throw new io.foliosync.connectors.api.ConfigurationException(NAME, problems);
            }
            if (st.sha256Fingerprint.isPresent()) {
                GatewayTrustCheck.validate(st.sha256Fingerprint.get());
            }
            return new IbkrConnector(st);
        }

        private static HttpUrl parseUrl(String value, String key, List<String> problems) {
            HttpUrl url = value == null ? null : HttpUrl.parse(value.trim());
            if (url == null) {
                problems.add(key + ": not an http(s) URL: '" + value + "'");
                return HttpUrl.get("https://invalid.invalid/");
            }
            return url;
        }
    }

    /** Validates a fingerprint at build time rather than at the first call. */
    private static final class GatewayTrustCheck {
        static void validate(String pin) {
            String hex = pin.trim().toLowerCase(java.util.Locale.ROOT).replaceFirst("^sha256[:/]", "")
                    .replace(":", "").replace(" ", "");
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new io.foliosync.connectors.api.ConfigurationException(NAME,
                        "interactive_brokers.tls.sha256_fingerprint: expected 64 hex digits (colons allowed), as "
                                + "`openssl x509 -noout -fingerprint -sha256 -in cert.pem` prints");
            }
        }
    }
}
