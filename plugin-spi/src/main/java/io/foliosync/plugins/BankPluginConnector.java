package io.foliosync.plugins;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.PluginMetadata;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.config.ConnectorContext;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded bank plugin seen as a {@link io.foliosync.connectors.api.Connector}: one source, named after the
 * plugin id, whose credentials are read from the encrypted store at each authentication and whose statement
 * lines are handed on lazily, an account at a time, in pages.
 */
final class BankPluginConnector extends AbstractConnector {
    static final int PAGE_SIZE = 1000;

    private final BankIntegrationPlugin plugin;
    private final PluginMetadata meta;
    private final BankPluginConnectorProvider.SharedManager manager;
    private final ConnectorContext context;

    BankPluginConnector(BankIntegrationPlugin plugin, BankPluginConnectorProvider.SharedManager manager,
                        ConnectorContext context) {
        super(context.clock());
        this.plugin = plugin;
        this.meta = plugin.metadata();
        this.manager = manager;
        this.context = context;
    }

    @Override
    public ConnectorMetadata metadata() {
        return new ConnectorMetadata(meta.id(), ConnectorType.BANK, meta.version(), meta.description(),
                meta.assetTypes(), false, !meta.authFields().isEmpty(), Optional.empty(), meta.homepage());
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.ACCOUNTS, Capability.HOLDINGS, Capability.TRANSACTIONS, Capability.BALANCES);
    }

    @Override
    protected AuthenticationResult doAuthenticate() {
        // read at each authentication, so credentials entered with `plugins configure` apply without a restart
        Map<String, String> credentials = context.credentials().load(meta.id()).orElse(Map.of());
        return plugin.authenticate(credentials);
    }

    @Override
    protected List<Account> fetchAccounts() {
        return plugin.getAccounts();
    }

    @Override
    protected List<Holding> fetchHoldings() {
        List<Holding> all = new ArrayList<>();
        plugin.getAccounts().forEach(a -> all.addAll(plugin.getHoldingsWithBalance(a.accountId(), meta.id())));
        return all;
    }

    @Override
    protected List<Holding> fetchHoldings(String accountId) {
        return plugin.getHoldingsWithBalance(accountId, meta.id());
    }

    @Override
    protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
        Optional<LocalDate> since = query.since().map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC));
        List<PagedResult<Transaction>> parts = new ArrayList<>();
        for (Account a : plugin.getAccounts()) {
            if (query.accountId().map(id -> !id.equals(a.accountId())).orElse(false)) {
                continue;
            }
            // a statement is read when its account is reached, then handed on in pages
            parts.add(PagedResult.chunked(() -> plugin.getTransactions(a.accountId(), since).stream()
                    .map(l -> l.toTransaction(meta.id())).toList(), PAGE_SIZE));
        }
        return PagedResult.concat(parts);
    }

    /** The plugin's own warnings (files skipped, fields dropped), handed on to the import job. */
    @Override
    public List<DataWarning> takeWarnings() {
        return plugin.takeWarnings();
    }

    @Override
    public HealthStatus healthCheck() {
        return plugin.healthCheck();
    }

    @Override
    protected void doDisconnect() {
        // logs the plugin out and closes its class loader once the section's last plugin is done
        manager.manager().unloadPlugin(meta.id());
        manager.release();
    }
}
