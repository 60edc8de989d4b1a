package io.foliosync.imports;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A provider for the cluster tests, section {@code loopback_accounts}: each entry is one account of a stand-in
 * broker on a loopback server ({@code base_url}, {@code account}, credential {@code api_key}), read over HTTP
 * ({@code GET <base_url>/accounts/<account>/transactions}, header {@code X-Api-Key}; one line per record,
 * {@code <id>;<epoch second>;<amount>}), so a sync is a real request on a real wire.
 */
public final class LoopbackAccountsProvider implements ConnectorProvider {
    static final String SECTION = "loopback_accounts";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String configSection() {
        return SECTION;
    }

    @Override
    public List<Connector> create(ConfigSection section, ConnectorContext context) {
        List<Connector> out = new ArrayList<>();
        for (String id : section.keys()) {
            ConfigSection s = section.section(id);
            ConfigSection.Requirements req = s.require();
            String baseUrl = req.string("base_url");
            String account = req.string("account");
            var key = req.secret("api_key");
            req.validate();
            out.add(new LoopbackAccount(id, baseUrl, account, key.reveal()));
        }
        return out;
    }

    private static final class LoopbackAccount extends AbstractConnector {
        private final String sourceId;
        private final String baseUrl;
        private final String account;
        private final String apiKey;

        LoopbackAccount(String sourceId, String baseUrl, String account, String apiKey) {
            super(java.time.Clock.systemUTC());
            this.sourceId = sourceId;
            this.baseUrl = baseUrl;
            this.account = account;
            this.apiKey = apiKey;
        }

        @Override
        public String sourceId() {
            return sourceId;
        }

        @Override
        public ConnectorMetadata metadata() {
            return new ConnectorMetadata(SECTION, ConnectorType.BROKER, "1.0", "loopback broker", Set.of(), false,
                    false, Optional.empty(), Optional.empty());
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.ACCOUNTS, Capability.TRANSACTIONS);
        }

        @Override
        public HealthStatus healthCheck() {
            return HealthStatus.healthy("ok", Instant.now(), Duration.ZERO);
        }

        @Override
        protected void doDisconnect() {
        }

        @Override
        protected AuthenticationResult doAuthenticate() {
            return AuthenticationResult.success("ok");
        }

        @Override
        protected List<Account> fetchAccounts() {
            return List.of(new Account(account, "Account " + account, AccountType.BROKERAGE, "USD",
                    AccountStatus.ACTIVE, Optional.empty(), SECTION));
        }

        @Override
        protected List<Holding> fetchHoldings() {
            return List.of();
        }

        @Override
        protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
            String endpoint = baseUrl + "/accounts/" + account + "/transactions";
            HttpResponse<String> response;
            try {
                response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint)).header("X-Api-Key", apiKey)
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw NetworkException.of(sourceId, endpoint, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw NetworkException.of(sourceId, endpoint, e);
            }
            if (response.statusCode() == 401) {
                throw new AuthenticationException(sourceId, "the loopback broker refused the api key");
            }
            if (response.statusCode() != 200) {
                throw new HttpStatusException(sourceId, endpoint, response.statusCode(), Optional.empty(),
                        response.body());
            }
            List<Transaction> txs = new ArrayList<>();
            for (String line : response.body().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(";");
                BigDecimal amount = new BigDecimal(f[2]);
                txs.add(Transaction.builder().date(Instant.ofEpochSecond(Long.parseLong(f[1])))
                        .type(TransactionType.DEPOSIT).symbol("USD").quantity(amount).amount(amount).currency("USD")
                        .fees(BigDecimal.ZERO).sourceId(f[0]).accountId(account).source(SECTION).build());
            }
            return PagedResult.of(cursor -> Page.last(txs));
        }
    }
}
