package io.foliosync.imports;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.HoldingsReport;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One unit of sync as the pipeline sees it: one account of a {@link Connector} (its {@link Connector#sourceId()})
 * or one {@link BankIntegrationPlugin} instance. Each has its own import job, cursor and lock.
 */
interface Source {
    /** @return the source id: jobs, cursors and locks are keyed by it */
    String id();

    /**
     * @return the {@code source_name} stored rows carry: the connector's name, shared by the sources of one
     *         provider so that a record two of them report is stored once
     */
    String namespace();

    /** @return the configuration section the source came from; {@code sync --source SECTION} means all of them */
    String section();

    /** @return the {@code source_type} column value, such as {@code crypto_exchange} */
    String type();

    AuthenticationResult authenticate();

    /**
     * @return the credentials checked now against the source, even when a session is open: what "test the keys"
     *         means to a person (a sync reuses an open session through {@link #authenticate()})
     */
    default AuthenticationResult verifyCredentials() {
        return authenticate();
    }

    List<Account> accounts();

    List<Holding> holdings(List<Account> accounts);

    /**
     * @return {@link #holdings}, with the accounts whose positions the source did not report at all (a Flex
     *         statement without Open Positions), which must not be read as holding nothing
     */
    default HoldingsReport holdingsReport(List<Account> accounts) {
        return HoldingsReport.complete(holdings(accounts));
    }

    /** @param since the cursor (inclusive); empty for all history */
    PagedResult<Transaction> transactions(Optional<Instant> since, List<Account> accounts);

    /** Ends the session after a job; the next job authenticates again when needed. */
    void endSession();

    /** @return while its history is read, how long the rest will take; empty when the source cannot tell */
    default Optional<java.time.Duration> remainingTime() {
        return Optional.empty();
    }

    /**
     * @return what the source read but could not use in full since the last call (files skipped, fields dropped);
     *         taken before {@link #endSession()}, which may forget them
     */
    default List<DataWarning> takeWarnings() {
        return List.of();
    }

    /** The configuration section bank plugins are enabled in. */
    String PLUGINS_SECTION = "plugins";

    static String typeName(ConnectorType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    /** A connector: authenticated once, kept until the orchestrator closes. */
    final class ConnectorSource implements Source {
        private final Connector connector;
        private final String section;

        ConnectorSource(String section, Connector connector) {
            this.connector = connector;
            this.section = section;
        }

        @Override
        public String id() {
            return connector.sourceId();
        }

        @Override
        public String namespace() {
            return connector.metadata().name();
        }

        @Override
        public String section() {
            return section;
        }

        @Override
        public String type() {
            return typeName(connector.metadata().type());
        }

        @Override
        public AuthenticationResult authenticate() {
            return connector.isAuthenticated() ? AuthenticationResult.success("already authenticated")
                    : connector.authenticate();
        }

        @Override
        public AuthenticationResult verifyCredentials() {
            return connector.authenticate();
        }

        @Override
        public List<Account> accounts() {
            return connector.getAccounts();
        }

        @Override
        public List<Holding> holdings(List<Account> accounts) {
            return connector.getHoldings();
        }

        @Override
        public HoldingsReport holdingsReport(List<Account> accounts) {
            return connector.getHoldingsReport();
        }

        @Override
        public PagedResult<Transaction> transactions(Optional<Instant> since, List<Account> accounts) {
            return connector.getTransactions(since.map(TransactionQuery::since).orElseGet(TransactionQuery::all));
        }

        @Override
        public void endSession() {
            // connectors keep their session; closed with the orchestrator
        }

        @Override
        public Optional<java.time.Duration> remainingTime() {
            return connector.remainingTime();
        }

        @Override
        public List<DataWarning> takeWarnings() {
            return connector.takeWarnings();
        }
    }

    /** A bank plugin: authenticated per job with credentials fetched then, logged out after. */
    final class PluginSource implements Source {
        private final BankIntegrationPlugin plugin;
        private final Supplier<Map<String, String>> credentials;
        private final int pageSize;

        PluginSource(BankIntegrationPlugin plugin, Supplier<Map<String, String>> credentials, int pageSize) {
            this.plugin = plugin;
            this.credentials = credentials;
            this.pageSize = pageSize;
        }

        @Override
        public String id() {
            return plugin.metadata().id();
        }

        @Override
        public String namespace() {
            return id();
        }

        @Override
        public String section() {
            return PLUGINS_SECTION;
        }

        @Override
        public String type() {
            return typeName(ConnectorType.BANK);
        }

        @Override
        public AuthenticationResult authenticate() {
            return plugin.authenticate(credentials.get());
        }

        @Override
        public List<Account> accounts() {
            return plugin.getAccounts();
        }

        @Override
        public List<Holding> holdings(List<Account> accounts) {
            List<Holding> all = new ArrayList<>();
            accounts.forEach(a -> all.addAll(plugin.getHoldingsWithBalance(a.accountId(), id())));
            return all;
        }

        @Override
        public PagedResult<Transaction> transactions(Optional<Instant> since, List<Account> accounts) {
            Optional<LocalDate> sinceDate = since.map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC));
            List<PagedResult<Transaction>> parts = new ArrayList<>();
            for (Account a : accounts) {
                // a statement is read when its account is reached, then handed on in pages
                parts.add(PagedResult.chunked(() -> plugin.getTransactions(a.accountId(), sinceDate).stream()
                        .map(l -> l.toTransaction(id())).toList(), pageSize));
            }
            return PagedResult.concat(parts);
        }

        @Override
        public List<DataWarning> takeWarnings() {
            return plugin.takeWarnings();
        }

        @Override
        public void endSession() {
            plugin.logout();
        }
    }
}
