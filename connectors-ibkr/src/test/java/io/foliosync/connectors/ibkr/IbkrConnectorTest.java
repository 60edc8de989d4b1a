package io.foliosync.connectors.ibkr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IbkrConnectorTest {
    private static final String ACCT = "U7654321";
    private final MockWebServer server = new MockWebServer();
    private final Routes routes = new Routes();
    @TempDir
    Path data;

    @BeforeEach
    void start() throws Exception {
        routes.on("POST /v1/api/iserver/auth/status", Routes.json("cpapi/auth-status.json"))
                .on("POST /v1/api/tickle", Routes.json("cpapi/tickle.json"))
                .on("POST /v1/api/iserver/reauthenticate", Routes.json("cpapi/reauthenticate.json"))
                .on("GET /v1/api/portfolio/accounts", Routes.json("cpapi/portfolio-accounts.json"))
                .on("GET /v1/api/portfolio/" + ACCT + "/positions/0", Routes.json("cpapi/positions-U7654321-0.json"))
                .on("GET /v1/api/portfolio/" + ACCT + "/positions/1", Routes.json("cpapi/positions-U7654321-1.json"))
                .on("GET /v1/api/portfolio/" + ACCT + "/positions/2", Routes.json("cpapi/positions-U7654321-2.json"))
                .on("GET /v1/api/portfolio/" + ACCT + "/ledger", Routes.json("cpapi/ledger-U7654321.json"))
                .on("GET /v1/api/iserver/account/trades", Routes.json("cpapi/iserver-account-trades.json"))
                .on("GET /v1/api/iserver/contract/14094/info", Routes.json("cpapi/contract-info-14094.json"))
                .on("GET /v1/api/iserver/contract/265598/info", Routes.json("cpapi/contract-info-265598.json"));
        server.setDispatcher(routes);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private IbkrConnector.Builder builder() {
        return IbkrConnector.builder()
                .baseUrl(server.url("/v1/api").toString())
                .dataDirectory(data)
                .rateLimiters(RateLimiterRegistry.isolated())
                .sleeper(d -> { })
                .keepAliveInterval(Duration.ofHours(1))
                .testing(2, false);
    }

    @Test
    void authenticateChecksTheSessionThenListsAccountsBeforeAnyPortfolioCall() {
        try (IbkrConnector ibkr = builder().build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).as(r.message()).isTrue();
            assertThat(routes.calls()).startsWith("POST /v1/api/iserver/auth/status", "GET /v1/api/portfolio/accounts");
            List<Account> accounts = ibkr.getAccounts();
            assertThat(accounts).extracting(Account::accountId).containsExactly(ACCT, "U7654322");
            assertThat(accounts.get(0).type()).isEqualTo(AccountType.MARGIN);
            assertThat(accounts.get(1).baseCurrency()).isEqualTo("EUR");
            assertThat(accounts.get(1).name()).isEqualTo("Kids");
        }
    }

    @Test
    void unauthenticatedBrokerageSessionIsReauthenticatedOnce() {
        routes.then("POST /v1/api/iserver/auth/status", Routes.json("cpapi/auth-status-brokerage-down.json"));
        try (IbkrConnector ibkr = builder().build()) {
            assertThat(ibkr.authenticate().success()).isTrue();
            assertThat(routes.count("POST /v1/api/iserver/reauthenticate")).isEqualTo(1);
        }
    }

    @Test
    void gatewayNotLoggedInFailsTellingTheUserToLogInAtTheGatewayPage() {
        routes.on("POST /v1/api/iserver/auth/status", Routes.status(401, "{\"error\":\"not authenticated\"}"));
        try (IbkrConnector ibkr = builder().build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).isFalse();
            assertThat(r.message()).contains("not logged in").contains("http://" + server.getHostName() + ":"
                    + server.getPort()).contains("log in");
            assertThat(routes.count("GET /v1/api/portfolio/accounts")).isZero();
        }
    }

    @Test
    void sessionThatStaysDownAfterReauthenticateFails() {
        routes.on("POST /v1/api/iserver/auth/status", Routes.json("cpapi/auth-status-brokerage-down.json"));
        try (IbkrConnector ibkr = builder().build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).isFalse();
            assertThat(r.message()).contains("log in");
            assertThat(routes.count("POST /v1/api/iserver/reauthenticate")).isEqualTo(1);
        }
    }

    @Test
    void unknownConfiguredAccountFailsAuthenticationNamingIt() {
        try (IbkrConnector ibkr = builder().accounts(List.of("U0000000")).build()) {
            AuthenticationResult r = ibkr.authenticate();
            assertThat(r.success()).isFalse();
            assertThat(r.message()).contains("U0000000").contains(ACCT);
        }
    }

    @Test
    void holdingsReadEveryPositionPageUntilAShortPageAndCashFromTheLedger() {
        try (IbkrConnector ibkr = builder().accounts(List.of(ACCT)).build()) {
            ibkr.authenticate();
            List<Holding> holdings = ibkr.getHoldings();
            assertThat(routes.calls()).contains("GET /v1/api/portfolio/U7654321/positions/0",
                    "GET /v1/api/portfolio/U7654321/positions/1", "GET /v1/api/portfolio/U7654321/positions/2")
                    .doesNotContain("GET /v1/api/portfolio/U7654321/positions/3");
            Map<String, Holding> bySymbol = holdings.stream()
                    .collect(Collectors.toMap(Holding::symbol, Function.identity()));
            assertThat(bySymbol).containsOnlyKeys("AAPL", "SAP", "MSFT", "SPY", "USD", "EUR"); // KO is 0, GBP 0
            Holding aapl = bySymbol.get("AAPL");
            assertThat(aapl.externalId()).contains("265598");
            assertThat(aapl.assetClass()).isEqualTo(AssetClass.STOCK);
            assertThat(aapl.costBasis()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("6850.05"));
            Holding shortCall = bySymbol.get("MSFT");
            assertThat(shortCall.assetClass()).isEqualTo(AssetClass.OPTION);
            assertThat(shortCall.costBasis()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("-314.32"));
            Holding shortSpy = bySymbol.get("SPY");
            assertThat(shortSpy.quantity()).isEqualByComparingTo("-20");
            assertThat(shortSpy.costBasis()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("-10968"));
            Holding eur = bySymbol.get("EUR");
            assertThat(eur.assetClass()).isEqualTo(AssetClass.CASH);
            assertThat(eur.quantity()).isEqualByComparingTo("-120.5");
            assertThat(bySymbol.get("SAP").currency()).isEqualTo("EUR");
        }
    }

    @Test
    void http401MidSyncRechecksTheSessionOnceThenSucceeds() {
        routes.then("GET /v1/api/portfolio/" + ACCT + "/ledger", Routes.status(401, ""));
        try (IbkrConnector ibkr = builder().accounts(List.of(ACCT)).build()) {
            ibkr.authenticate();
            long statusChecks = routes.count("POST /v1/api/iserver/auth/status");
            assertThat(ibkr.getHoldings(ACCT)).isNotEmpty();
            assertThat(routes.count("POST /v1/api/iserver/auth/status")).isEqualTo(statusChecks + 1);
            assertThat(routes.count("GET /v1/api/portfolio/" + ACCT + "/ledger")).isEqualTo(2);
        }
    }

    @Test
    void http401MidSyncWithTheGatewayLoggedOutBecomesAuthenticationException() {
        try (IbkrConnector ibkr = builder().accounts(List.of(ACCT)).build()) {
            ibkr.authenticate();
            routes.on("GET /v1/api/portfolio/" + ACCT + "/ledger", Routes.status(401, ""));
            routes.on("POST /v1/api/iserver/auth/status", Routes.status(401, ""));
            assertThatThrownBy(() -> ibkr.getHoldings(ACCT))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("log in");
            assertThat(ibkr.isAuthenticated()).isFalse();
        }
    }

    @Test
    void recentTradesComeFromTheGatewayWithTheContractsCurrency() {
        try (IbkrConnector ibkr = builder().build()) {
            ibkr.authenticate();
            List<Transaction> tx;
            try (PagedResult<Transaction> r = ibkr.getTransactions(TransactionQuery.all())) {
                tx = r.toList();
            }
            assertThat(tx).hasSize(2);
            Transaction buy = tx.get(0);
            assertThat(buy.type()).isEqualTo(TransactionType.BUY);
            assertThat(buy.sourceId()).contains("0000e1a2.66fd1a01.01.01");
            assertThat(buy.date()).isEqualTo(Instant.ofEpochMilli(1727879465000L));
            assertThat(buy.currency()).isEqualTo("USD");
            assertThat(buy.fees()).isEqualByComparingTo("1.00");
            Transaction sell = tx.get(1);
            assertThat(sell.type()).isEqualTo(TransactionType.SELL);
            assertThat(sell.currency()).isEqualTo("EUR");
            assertThat(sell.quantity()).isEqualByComparingTo("-4");
            assertThat(sell.amount()).isEqualByComparingTo("288.4");
            assertThat(routes.calls()).contains("GET /v1/api/iserver/account/trades");
        }
    }

    private static IbkrConnector source(List<IbkrConnector> sources, String sourceId) {
        return sources.stream().filter(c -> c.sourceId().equals(sourceId)).findFirst().orElseThrow();
    }

    private static List<Transaction> transactions(IbkrConnector c, TransactionQuery q) {
        try (PagedResult<Transaction> r = c.getTransactions(q)) {
            return r.toList();
        }
    }

    @Test
    void withFlexHistoryConfiguredTheGatewayImportsNoRecentTradesAndFlexIsTheHistory() {
        Path flexFile = FlexTestSupport.resource("flex/activity-single-account.xml"); // U7654321 until 2024-12-31
        List<IbkrConnector> sources = builder().flexFiles(List.of(flexFile)).buildSources();
        try {
            assertThat(sources).extracting(IbkrConnector::sourceId).containsExactly("ibkr-flex-files", "ibkr");
            IbkrConnector gateway = source(sources, "ibkr");
            IbkrConnector files = source(sources, "ibkr-flex-files");
            assertThat(gateway.authenticate().success()).isTrue();
            assertThat(files.authenticate().success()).isTrue();
            assertThat(gateway.capabilities()).doesNotContain(Capability.TRANSACTIONS).contains(Capability.HOLDINGS);
            assertThat(transactions(gateway, TransactionQuery.all())).isEmpty();
            assertThat(routes.calls()).doesNotContain("GET /v1/api/iserver/account/trades");
            List<Transaction> history = transactions(files, TransactionQuery.all().forAccount(ACCT));
            assertThat(history).anyMatch(t -> t.sourceId().orElse("").equals("700000101"))
                    .allSatisfy(t -> assertThat(t.source()).isEqualTo("ibkr"))
                    .noneMatch(t -> "client_portal_recent_trades".equals(t.attributes().get("origin")));
            // with the gateway on, live holdings are the gateway's: the files source reports none
            assertThat(files.capabilities()).doesNotContain(Capability.HOLDINGS);
            assertThat(files.getHoldings()).isEmpty();
        } finally {
            sources.forEach(IbkrConnector::close);
        }
    }

    @Test
    void withoutFlexTheGatewaySourceImportsRecentTrades() {
        List<IbkrConnector> sources = builder().buildSources();
        try {
            assertThat(sources).singleElement().satisfies(gw -> {
                assertThat(gw.sourceId()).isEqualTo("ibkr");
                assertThat(gw.authenticate().success()).isTrue();
                assertThat(gw.capabilities()).contains(Capability.TRANSACTIONS);
                assertThat(transactions(gw, TransactionQuery.all())).hasSize(2)
                        .allSatisfy(t -> assertThat(t.source()).isEqualTo("ibkr"));
            });
            assertThat(routes.calls()).contains("GET /v1/api/iserver/account/trades");
        } finally {
            sources.forEach(IbkrConnector::close);
        }
    }

    @Test
    void eachConfiguredAccountIsASourceReadingOnlyItsAccountOverOneSharedSession() throws Exception {
        routes.on("GET /v1/api/portfolio/U7654322/positions/0", Routes.status(200, "[]"))
                .on("GET /v1/api/portfolio/U7654322/ledger", Routes.status(200, "{}"));
        List<IbkrConnector> sources = builder().keepAliveInterval(Duration.ofMillis(20))
                .accounts(List.of(ACCT, "u7654322")).buildSources();
        IbkrConnector first = source(sources, "ibkr-" + ACCT);
        IbkrConnector second = source(sources, "ibkr-U7654322");
        try {
            assertThat(first.authenticate().success()).isTrue();
            assertThat(second.authenticate().success()).isTrue();
            assertThat(first.getAccounts()).extracting(Account::accountId).containsExactly(ACCT);
            assertThat(second.getAccounts()).extracting(Account::accountId).containsExactly("U7654322");
            assertThat(first.getHoldings()).isNotEmpty().allSatisfy(h -> assertThat(h.accountId()).isEqualTo(ACCT));
            assertThat(second.getHoldings()).isEmpty();
            assertThat(routes.calls()).doesNotContain("GET /v1/api/portfolio/U7654322/positions/1");
            // no Flex: each source reports the recent trades of its own account only
            assertThat(transactions(first, TransactionQuery.all())).hasSize(2);
            assertThat(transactions(second, TransactionQuery.all())).isEmpty();
            // one keep-alive for the gateway, running until the last of its sources is closed
            first.close();
            assertThat(second.keepAliveRunning()).isTrue();
        } finally {
            sources.forEach(IbkrConnector::close);
        }
        assertThat(second.keepAliveRunning()).isFalse();
    }

    @Test
    void anAccountTheLoginCannotSeeFailsOnlyItsOwnSource() {
        List<IbkrConnector> sources = builder().accounts(List.of(ACCT, "U0000000")).buildSources();
        try {
            assertThat(source(sources, "ibkr-" + ACCT).authenticate().success()).isTrue();
            AuthenticationResult r = source(sources, "ibkr-U0000000").authenticate();
            assertThat(r.success()).isFalse();
            assertThat(r.message()).contains("U0000000").contains(ACCT);
        } finally {
            sources.forEach(IbkrConnector::close);
        }
    }

    @Test
    void buildRefusesSettingsThatMakeSeveralSources() {
        assertThatThrownBy(() -> builder().accounts(List.of(ACCT, "U7654322")).build())
                .isInstanceOf(io.foliosync.connectors.api.ConfigurationException.class)
                .hasMessageContaining("ibkr-U7654321").hasMessageContaining("buildSources()");
    }

    @Test
    void transactionQueryRangeIsHalfOpen() {
        Path flexFile = FlexTestSupport.resource("flex/activity-single-account.xml");
        try (IbkrConnector ibkr = builder().clientPortal(false).flexFiles(List.of(flexFile)).build()) {
            assertThat(ibkr.authenticate().success()).isTrue();
            Instant buy = Instant.parse("2024-03-11T14:15:02Z");
            TransactionQuery q = TransactionQuery.since(buy).until(Instant.parse("2024-04-12T17:30:01Z"));
            List<Transaction> tx;
            try (PagedResult<Transaction> r = ibkr.getTransactions(q)) {
                tx = r.toList();
            }
            assertThat(tx).extracting(t -> t.sourceId().orElseThrow()).contains("700000101")
                    .doesNotContain("700000103");
            assertThat(tx).allSatisfy(t -> assertThat(q.contains(t.date())).isTrue());
        }
    }

    @Test
    void keepAliveTicklesTheGatewayUntilClosed() throws Exception {
        IbkrConnector ibkr = builder().keepAliveInterval(Duration.ofMillis(20)).build();
        ibkr.authenticate();
        assertThat(ibkr.keepAliveRunning()).isTrue();
        RecordedRequest tickle = null;
        for (int i = 0; i < 20 && tickle == null; i++) {
            RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
            if (r != null && r.getUrl().encodedPath().endsWith("/tickle")) {
                tickle = r;
            }
        }
        assertThat(tickle).as("a /tickle request").isNotNull();
        ibkr.close();
        assertThat(ibkr.keepAliveRunning()).isFalse();
        assertThat(ibkr.isAuthenticated()).isFalse();
    }

    @Test
    void bearerTokenIsSentWhenAuthTypeIsJwt() throws Exception {
        try (IbkrConnector ibkr = builder().authType(IbkrConnector.AuthType.JWT)
                .bearerToken(io.foliosync.connectors.api.secrets.Secret.of("jwt-abc")).build()) {
            ibkr.authenticate();
            RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer jwt-abc");
        }
    }

    @Test
    void healthCheckReportsTheGatewaySession() {
        try (IbkrConnector ibkr = builder().build()) {
            assertThat(ibkr.healthCheck().healthy()).isTrue();
            routes.on("POST /v1/api/iserver/auth/status", Routes.status(401, ""));
            assertThat(ibkr.healthCheck().healthy()).isFalse();
        }
    }
}
