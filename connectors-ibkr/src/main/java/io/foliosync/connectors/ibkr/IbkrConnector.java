package io.foliosync.connectors.ibkr;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.ConnectorException;
import io.foliosync.connectors.api.ContractTerms;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.HoldingsReport;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source of Interactive Brokers data (see {@link #sourceId()}): live positions, cash balances and, when no
 * Flex history is configured, the last days' trades from the Client Portal gateway; or the complete history
 * (trades, dividends, withholding tax, interest, fees, deposits, withdrawals, transfers, corporate actions) of
 * one Flex query, fetched through the Flex Web Service, or of the Flex statements a user downloaded.
 *
 * <p>Sources, from one configuration ({@link Builder#buildSources()}):
 * <ul>
 *   <li>{@code ibkr-flex-<queryId>} per Flex query id: that query's statement only;</li>
 *   <li>{@code ibkr-flex-files}: every statement in {@code flexFiles};</li>
 *   <li>{@code ibkr-<ACCOUNT>} per configured gateway account, or a single {@code ibkr} for every account the
 *       gateway's login sees when no accounts are configured.</li>
 * </ul>
 * Each is synced on its own (own cursor, own failures); all of them write records under the namespace
 * {@value #NAME}, so a record two Flex queries both report is stored once. The gateway sources of one
 * configuration share one HTTP client, session check and keep-alive.
 *
 * <pre>{@code
 * try (IbkrConnector ibkr = IbkrConnector.builder()
 *         .clientPortal(false)
 *         .flexToken(Secret.of(System.getenv("IBKR_FLEX_TOKEN")))
 *         .flexQueryIds(List.of("123456"))
 *         .dataDirectory(Path.of("data"))
 *         .build()) {
 *     if (ibkr.authenticate().success()) { ibkr.getHoldings(); }
 * }
 * }</pre>
 *
 * <p>Holdings: live from the gateway; with {@code clientPortal(false)} (Flex only), each Flex source reports
 * the open positions and per-currency cash of each account's latest statement among its own statements (a
 * downloaded statement is reused by the same sync's transactions for {@code flexStatementReuse}, default 15
 * minutes, and deleted when replaced or on {@link #close()}).
 *
 * <p>Recent trades: the gateway's {@code /iserver/account/trades} covers only the last
 * {@code transactionLookbackDays}, under execution ids that Flex does not use. Separate sources cannot tell
 * which days another source's statement covers, so a gateway source imports recent trades only when no Flex
 * history (query ids or files) is configured: otherwise Flex is the history and the gateway gives live
 * positions and cash.
 */
@API(status = INTERNAL, since = "0.1")
public final class IbkrConnector extends AbstractConnector {
    /** The connector id and the namespace (source) of every record, whichever source reads it. */
    public static final String NAME = "ibkr";
    /** The source id of the downloaded-statements source. */
    public static final String FLEX_FILES_SOURCE = NAME + "-flex-files";
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

    private enum Kind { GATEWAY, FLEX_QUERY, FLEX_FILES }

    /**
     * What one source reads.
     *
     * @param account      for a gateway source of one configured account, that account
     * @param queryId      for a Flex query source, its query
     * @param recentTrades whether a gateway source reports {@code /iserver/account/trades}
     */
    private record Scope(String sourceId, Kind kind, Optional<String> account, Optional<String> queryId,
                         List<Path> files, boolean recentTrades) {
    }

    private final Settings s;
    private final Scope scope;
    private final FlexStatementParser parser;
    private final Gateway gateway;
    private final ClientPortalClient portal;
    private final FlexWebServiceClient flex;
    private final Map<String, Downloaded> statements = new HashMap<>();
    private volatile List<Map<String, Object>> portalAccounts = List.of();

    private IbkrConnector(Settings s, Scope scope, Gateway gateway, FlexWebServiceClient flex) {
        super(s.clock);
        this.s = s;
        this.scope = scope;
        this.parser = FlexStatementParser.create(s.timeZone, s.pageSize);
        this.gateway = scope.kind() == Kind.GATEWAY ? Objects.requireNonNull(gateway, "gateway") : null;
        this.portal = this.gateway == null ? null : this.gateway.portal;
        this.flex = scope.kind() == Kind.FLEX_QUERY ? Objects.requireNonNull(flex, "flex") : null;
        if (this.gateway != null) {
            this.gateway.acquire();
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
                false, scope.kind() == Kind.FLEX_QUERY, Optional.of(600),
                Optional.of(URI.create("https://www.interactivebrokers.com/campus/ibkr-api-page/cpapi-v1/")));
    }

    /**
     * @return {@code ibkr-flex-<queryId>}, {@value #FLEX_FILES_SOURCE}, {@code ibkr-<ACCOUNT>}, or {@code ibkr}
     *         for a gateway source covering every account its login sees
     */
    @Override
    public String sourceId() {
        return scope.sourceId();
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> c = EnumSet.noneOf(Capability.class);
        if (portal != null) {
            c.add(Capability.HOLDINGS);
            c.add(Capability.ACCOUNTS);
            c.add(Capability.BALANCES);
            if (scope.recentTrades()) {
                c.add(Capability.TRANSACTIONS);
            }
        } else {
            c.add(Capability.TRANSACTIONS);
            if (!s.clientPortal) {
                c.add(Capability.HOLDINGS); // Flex only: the latest statement's open positions and cash report
            }
        }
        return c;
    }

    /** @return the gateway's login page, which the user opens to log in */
    String loginPage() {
        return s.loginPage();
    }

    @Override
    protected AuthenticationResult doAuthenticate() {
        if (portal == null) {
            // Nothing to check without generating a statement (each SendRequest makes one): errors of this
            // query show when its statement is read, and fail only this source.
            return AuthenticationResult.success(scope.queryId()
                    .map(q -> "Flex query " + q + ": its statement is downloaded when read")
                    .orElse("Flex: " + scope.files().size() + " statement file(s)"));
        }
        try {
            gateway.ensureSession();
            portalAccounts = portal.accounts(); // must precede every other /portfolio call
        } catch (AuthenticationException e) {
            return AuthenticationResult.failure(e.getMessage());
        } catch (ConnectorException e) {
            Optional<String> untrusted = GatewayTrust.untrustedCertificateMessage(e, s.baseUrl);
            if (untrusted.isPresent()) {
                return AuthenticationResult.failure(untrusted.get());
            }
            return AuthenticationResult.failure("cannot reach the Client Portal gateway at " + loginPage()
                    + ": start it (bin/run.sh root/conf.yaml in the gateway's folder), log in at " + loginPage()
                    + ", then try again (" + e.getMessage() + ")");
        }
        List<String> known = portalAccounts.stream().map(a -> text(a, "id").orElse("")).toList();
        if (scope.account().isPresent() && !known.contains(scope.account().get())) {
            return AuthenticationResult.failure("interactive_brokers.accounts names " + scope.account().get()
                    + ", which this login cannot see (it sees " + known + "): remove it, or log in to the gateway "
                    + "as a user that can see it");
        }
        gateway.startKeepAlive();
        return AuthenticationResult.success("logged in to the Client Portal gateway at " + loginPage() + "; "
                + scope.account().map(a -> "account " + a).orElse(known.size() + " account(s)")
                + (scope.recentTrades() ? "; recent trades from the gateway"
                        : "; history from Flex (no recent trades from the gateway)"));
    }

    /**
     * Runs {@code call}; on a 401 re-checks the session once and retries, else fails with what to do. A
     * certificate the gateway presents that is not trusted becomes an exception that says so.
     */
    private <T> T withSession(Supplier<T> call) {
        try {
            return retryOnce(call);
        } catch (AuthenticationException e) {
            throw e;
        } catch (ConnectorException e) {
            throw GatewayTrust.untrustedCertificate(e, s.baseUrl, NAME).orElse(e);
        }
    }

    private <T> T retryOnce(Supplier<T> call) {
        try {
            return call.get();
        } catch (AuthenticationException first) {
            LOG.info("{}: the gateway refused a call ({}); checking the session once", sourceId(), first.getMessage());
            try {
                gateway.ensureSession();
            } catch (AuthenticationException e) {
                markUnauthenticated();
                throw e;
            }
            try {
                return call.get();
            } catch (AuthenticationException again) {
                markUnauthenticated();
                throw gateway.notLoggedIn();
            }
        }
    }

    /** @return whether the keep-alive of this source's gateway is scheduled and not stopped */
    boolean keepAliveRunning() {
        return gateway != null && gateway.keepAliveRunning();
    }

    @Override
    protected void doDisconnect() {
        if (gateway != null) {
            gateway.release();
        }
        synchronized (statements) {
            statements.values().forEach(d -> deleteQuietly(d.file()));
            statements.clear();
        }
    }

    /** @return whether records of {@code accountId} belong to this source */
    private boolean inScope(String accountId) {
        if (scope.account().isPresent()) {
            return scope.account().get().equals(accountId);
        }
        return s.accounts.isEmpty() || s.accounts.contains(accountId);
    }

    // ---- accounts and holdings ----

    private List<Map<String, Object>> selectedAccounts() {
        return portalAccounts.stream().filter(a -> inScope(text(a, "id").orElse(""))).toList();
    }

    @Override
    protected List<Account> fetchAccounts() {
        List<Account> out = new ArrayList<>();
        for (Map<String, Object> a : selectedAccounts()) {
            String id = text(a, "id").orElseThrow(() -> DataFetchException.malformed(NAME, "GET /portfolio/accounts",
                    null, "id", "account without an id", null));
            String trading = text(a, "tradingType").orElse("").toUpperCase(Locale.ROOT);
            AccountType type = trading.contains("MRGN") || trading.contains("MARGIN") ? AccountType.MARGIN
                    : text(a, "type").orElse("").toUpperCase(Locale.ROOT).contains("IRA")
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

    /** A Flex source names the accounts whose statements lack Open Positions; the gateway always reports them. */
    @Override
    protected HoldingsReport fetchHoldingsReport() {
        if (portal != null) {
            return HoldingsReport.complete(fetchHoldings());
        }
        HoldingsReport flex = parser.holdingsReport(flexStatements());
        return new HoldingsReport(flex.holdings().stream().filter(h -> inScope(h.accountId())).toList(),
                flex.accountsWithoutPositions().stream().filter(this::inScope)
                        .collect(java.util.stream.Collectors.toSet()));
    }

    @Override
    protected List<Holding> fetchHoldings(String accountId) {
        if (portal == null) {
            return flexHoldings().stream().filter(h -> h.accountId().equals(accountId)).toList();
        }
        if (portalAccounts.stream().noneMatch(a -> accountId.equals(text(a, "id").orElse(""))) || !inScope(accountId)) {
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
        Map<String, BigDecimal> toBase = new java.util.HashMap<>();
        for (Map.Entry<String, Object> e : ledger.entrySet()) {
            if (e.getKey().equals("BASE") || !(e.getValue() instanceof Map<?, ?> m)) {
                continue;
            }
            String currency = e.getKey().toUpperCase(Locale.ROOT);
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
        // the ledger lists every currency's rate to the account's base, zero balances included
        for (Map.Entry<String, Object> e : ledger.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m && !e.getKey().equals("BASE")) {
                decimal(m.get("exchangerate"), "ledger." + e.getKey(), "exchangerate").filter(r -> r.signum() > 0)
                        .ifPresent(r -> toBase.put(e.getKey().toUpperCase(Locale.ROOT), r));
            }
        }
        Optional<String> base = portalAccounts.stream().filter(a -> accountId.equals(text(a, "id").orElse("")))
                .findFirst().flatMap(a -> text(a, "currency")).map(c -> c.toUpperCase(Locale.ROOT))
                .filter(CurrencyCodes::isIso4217);
        if (base.isEmpty()) {
            return out;
        }
        return out.stream().map(h -> h.currency().equals(base.get()) || !toBase.containsKey(h.currency()) ? h
                : h.toBuilder().reportedFxRate(base.get(), toBase.get(h.currency())).build()).toList();
    }

    /**
     * Flex-only holdings: for each account, the open positions and per-currency cash of its latest statement
     * among this source's statements (its query's, downloaded now unless one was downloaded within
     * {@code flex.statement_reuse}, or its files).
     */
    private List<Holding> flexHoldings() {
        return parser.holdings(flexStatements()).stream().filter(h -> inScope(h.accountId())).toList();
    }

    private List<Path> flexStatements() {
        return scope.queryId().map(q -> List.of(statement(q))).orElse(scope.files());
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
            gateway.contractCurrencies.put(conid, currency);
        }
        for (String k : List.of("assetClass", "avgPrice", "unrealizedPnl", "realizedPnl", "multiplier",
                "listingExchange", "isin")) {
            text(row, k).ifPresent(v -> h.attribute(k, v));
        }
        // mktPrice is per unit of the underlying (per share for an option), mktValue includes the multiplier.
        h.terms(ContractTerms.from(text(row, "multiplier").map(m -> Map.of(ContractTerms.MULTIPLIER, m)).orElse(Map.of()),
                ContractTerms.defaultsFor(FlexXmlReader.assetClass(text(row, "assetClass").orElse(null), null))));
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
                && inScope(t.accountId());
        if (portal != null) {
            return scope.recentTrades() ? lazy(() -> PagedResult.ofList(recentTrades(filter))) : PagedResult.empty();
        }
        if (scope.queryId().isPresent()) {
            String queryId = scope.queryId().get();
            return lazy(() -> parser.transactions(statement(queryId), filter, info -> { }));
        }
        List<PagedResult<Transaction>> parts = new ArrayList<>();
        for (Path file : scope.files()) {
            parts.add(parser.transactions(file, filter, info -> { }));
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
            // statements are private data: the folders made for them are owner-only, as the files are
            io.foliosync.connectors.api.secrets.OwnerOnlyFiles.createDirectories(dir);
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

    private List<Transaction> recentTrades(Predicate<Transaction> filter) {
        List<Map<String, Object>> rows = withSession(() -> portal.trades(s.lookbackDays));
        List<Transaction> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            // Another account's trade is another source's: skipped before reading it, so its faults (an
            // unknown contract) cannot fail this source.
            Optional<String> account = text(row, "account").or(() -> text(row, "accountCode"));
            if (account.isPresent() && !inScope(account.get())) {
                continue;
            }
            Transaction t = recentTrade(i, row);
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
        // the endpoint states no multiplier: an option's price is per share, its net_amount per contract
        ContractTerms terms = ContractTerms.defaultsFor(FlexXmlReader.assetClass(text(row, "sec_type").orElse(null),
                null));
        BigDecimal gross = decimal(row.get("net_amount"), record, "net_amount")
                .orElse(price == null ? BigDecimal.ZERO : terms.value(size, price));
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
                .rawType(side)
                .terms(terms);
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
            String known = gateway.contractCurrencies.get(conid);
            if (known != null) {
                return known;
            }
            Optional<String> c = text(withSession(() -> portal.contractInfo(conid)), "currency")
                    .filter(CurrencyCodes::isWellFormed);
            if (c.isPresent()) {
                gateway.contractCurrencies.put(conid, c.get());
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
            return new HealthStatus(true, scope.queryId().map(q -> "Flex query " + q)
                    .orElse("Flex: " + scope.files().size() + " statement file(s)")
                    + " (the Flex Web Service is not contacted by a health check: each request generates a statement)",
                    now, Optional.empty(), Map.of());
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
            return HealthStatus.unhealthy("gateway at " + loginPage() + ": "
                    + GatewayTrust.untrustedCertificateMessage(e, s.baseUrl).orElse(e.getMessage()), now);
        }
    }

    /**
     * One Client Portal gateway, shared by the gateway sources of one configuration: they talk to one process
     * holding one brokerage session, so one HTTP client, one session check and one keep-alive serve them all.
     * The keep-alive stops when the last of them is closed.
     */
    private static final class Gateway {
        final ClientPortalClient portal;
        final Map<String, String> contractCurrencies = new ConcurrentHashMap<>();
        private final Settings s;
        private ScheduledExecutorService keepAlive;
        private int users;
        private boolean closed;

        Gateway(Settings s) {
            this.s = s;
            HttpClients.Builder gw = HttpClients.builder(NAME).clock(s.clock).sleeper(s.sleeper).base(s.httpBase);
            gw.rateLimiter(s.rateLimiters.limiterFor("ibkr-gateway", s.baseUrl.host() + ":" + s.baseUrl.port(),
                    () -> RateLimiter.of("ibkr-gateway", Duration.ofSeconds(30), RateLimit.perSecond(10))));
            OkHttpClient pinned = GatewayTrust.clientFor(gw.build(), s.baseUrl, new GatewayTrust.Settings(
                    s.certificateFile, s.sha256Fingerprint, s.trustOnFirstUse, s.pinFile(), s.expiryWarning,
                    s.clock), NAME);
            this.portal = new ClientPortalClient(ApiClient.of(NAME, pinned, s.clock), s.baseUrl,
                    s.authType == AuthType.JWT ? s.bearerToken : Optional.empty());
        }

        synchronized void acquire() {
            users++;
        }

        synchronized void release() {
            if (--users <= 0) {
                closed = true;
                if (keepAlive != null) {
                    keepAlive.shutdownNow();
                }
            }
        }

        synchronized void startKeepAlive() {
            if (keepAlive != null || closed) {
                return;
            }
            keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ibkr-keepalive");
                t.setDaemon(true);
                return t;
            });
            long ms = s.keepAliveInterval.toMillis();
            keepAlive.scheduleWithFixedDelay(() -> {
                try {
                    portal.tickle();
                } catch (RuntimeException e) {
                    LOG.warn("{}: keep-alive /tickle failed: {}", NAME, e.getMessage());
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }

        synchronized boolean keepAliveRunning() {
            return keepAlive != null && !keepAlive.isShutdown();
        }

        /** Checks the session; reauthenticates the brokerage session once when the gateway is logged in. */
        void ensureSession() {
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

        AuthenticationException notLoggedIn() {
            String page = s.loginPage();
            return new AuthenticationException(NAME, "the Client Portal gateway at " + page + " is not logged "
                    + "in: open " + page + " in a browser on the machine running the gateway, log in with your "
                    + "IBKR user name and password (and second factor), then try again");
        }
    }

    /** The Flex Web Service client the query sources of one configuration share (one token, one rate limit). */
    private static FlexWebServiceClient flexClient(Settings s) {
        OkHttpClient flexHttp = HttpClients.builder(NAME).clock(s.clock).sleeper(s.sleeper).base(s.httpBase).build();
        if (s.flexRateLimited) {
            flexHttp = HttpClients.builder(NAME).clock(s.clock).sleeper(s.sleeper).base(s.httpBase)
                    .rateLimiter(s.rateLimiters.limiterFor("ibkr-flex", s.flexToken.get().reveal(),
                            () -> RateLimiter.of("ibkr-flex", Duration.ofSeconds(70), RateLimit.perSecond(1),
                                    RateLimit.perMinute(10))))
                    .build();
        }
        return new FlexWebServiceClient(NAME, flexHttp, s.flexBaseUrl, s.flexToken.get(), s.sleeper,
                s.flexMaxPolls, s.flexInitialDelay, s.flexMaxDelay);
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

        String loginPage() {
            return baseUrl.scheme() + "://" + baseUrl.host() + ":" + baseUrl.port();
        }

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

        /**
         * Builds the one source these settings configure, for code that reads a single Flex query, the files or
         * one gateway account.
         *
         * @throws ConfigurationException naming every invalid setting, or when the settings configure more than
         *                                one source (use {@link #buildSources()})
         */
        public IbkrConnector build() {
            Settings st = validate();
            List<Scope> scopes = scopes(st);
            if (scopes.size() != 1) {
                throw new ConfigurationException(NAME, "these settings configure " + scopes.size() + " sources "
                        + scopes.stream().map(Scope::sourceId).toList() + ": build them with buildSources()");
            }
            return sources(st, scopes).get(0);
        }

        /**
         * @return one connector per source these settings configure (see {@link IbkrConnector}), in the order
         *         Flex queries, Flex files, gateway; their source ids are unique
         * @throws ConfigurationException naming every invalid setting
         */
        public List<IbkrConnector> buildSources() {
            Settings st = validate();
            return sources(st, scopes(st));
        }

        private static List<IbkrConnector> sources(Settings st, List<Scope> scopes) {
            Gateway gateway = st.clientPortal ? new Gateway(st) : null;
            FlexWebServiceClient flex = st.flexToken.isPresent() && !st.flexQueryIds.isEmpty() ? flexClient(st) : null;
            List<IbkrConnector> out = new ArrayList<>();
            for (Scope scope : scopes) {
                out.add(new IbkrConnector(st, scope, gateway, flex));
            }
            return out;
        }

        private static List<Scope> scopes(Settings st) {
            // Flex history and the gateway's recent trades cannot be reconciled across sources, so with any
            // Flex history the gateway gives live positions and cash only.
            boolean flexHistory = !st.flexQueryIds.isEmpty() || !st.flexFiles.isEmpty();
            List<Scope> out = new ArrayList<>();
            for (String q : st.flexQueryIds) {
                out.add(new Scope(NAME + "-flex-" + q, Kind.FLEX_QUERY, Optional.empty(), Optional.of(q), List.of(),
                        false));
            }
            if (!st.flexFiles.isEmpty()) {
                out.add(new Scope(FLEX_FILES_SOURCE, Kind.FLEX_FILES, Optional.empty(), Optional.empty(),
                        st.flexFiles, false));
            }
            if (st.clientPortal) {
                if (st.accounts.isEmpty()) {
                    out.add(new Scope(NAME, Kind.GATEWAY, Optional.empty(), Optional.empty(), List.of(), !flexHistory));
                }
                for (String a : st.accounts) {
                    out.add(new Scope(NAME + "-" + a, Kind.GATEWAY, Optional.of(a), Optional.empty(), List.of(),
                            !flexHistory));
                }
            }
            return out;
        }

        private Settings validate() {
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
            // IBKR account ids are upper case letters and digits; the source id ibkr-<ACCOUNT> is built from one
            Set<String> accountIds = new LinkedHashSet<>();
            for (String a : accounts) {
                String id = a == null ? "" : a.trim().toUpperCase(Locale.ROOT);
                if (id.matches("[A-Z0-9]+")) {
                    accountIds.add(id);
                } else {
                    problems.add("interactive_brokers.accounts: '" + a + "' is not an IBKR account id such as "
                            + "U1234567");
                }
            }
            st.accounts = List.copyOf(accountIds);
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
            Set<String> queryIds = new LinkedHashSet<>();
            for (String q : flexQueryIds) {
                String id = q == null ? "" : q.trim();
                if (id.matches("[A-Za-z0-9]+")) {
                    queryIds.add(id);
                } else {
                    problems.add("interactive_brokers.flex.query_ids: '" + q + "' is not a Flex query id (the "
                            + "number shown with the \"i\" icon next to the query)");
                }
            }
            st.flexQueryIds = List.copyOf(queryIds);
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
            Set<String> seen = new HashSet<>();
            for (Scope sc : scopes(st)) {
                if (!seen.add(sc.sourceId())) {
                    problems.add("interactive_brokers: two sources would have the id " + sc.sourceId()
                            + " (flex.query_ids and accounts each give one source): rename or remove one");
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(NAME, problems);
            }
            if (st.sha256Fingerprint.isPresent()) {
                GatewayTrustCheck.validate(st.sha256Fingerprint.get());
            }
            return st;
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
                throw new ConfigurationException(NAME,
                        "interactive_brokers.tls.sha256_fingerprint: expected 64 hex digits (colons allowed), as "
                                + "`openssl x509 -noout -fingerprint -sha256 -in cert.pem` prints");
            }
        }
    }
}
