package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A bank integration, packaged as a jar and found by {@code plugin-spi} through
 * {@link java.util.ServiceLoader}. Register the implementation in
 * {@code META-INF/services/io.foliosync.connectors.api.BankIntegrationPlugin} and describe it in
 * {@code META-INF/foliosync/plugin.yaml}. An implementation needs a public no-argument constructor that does
 * no I/O: discovery must stay cheap and never fail because a bank is unreachable.
 *
 * <p>Lifecycle: {@link #authenticate(Map)} with the values of its {@link PluginMetadata#authFields()}, then
 * the data methods, then {@link #logout()}. Results are never null.
 */
@API(status = STABLE, since = "0.1")
public interface BankIntegrationPlugin {

    /** @return what this plugin is; never null, and equal to what its manifest says */
    PluginMetadata metadata();

    /**
     * @param credentials the values of the declared auth fields, by name; secrets arrive decrypted
     * @return the outcome; never throws for refused credentials
     */
    AuthenticationResult authenticate(Map<String, String> credentials);

    /** @return the accounts reachable with the credentials; never null */
    List<Account> getAccounts();

    /** @return the holdings of an account; empty for a plain bank account; never null */
    List<Holding> getHoldings(String accountId);

    /**
     * @param since the earliest posted date, inclusive; empty for all history
     * @return the statement lines of an account, oldest first; never null
     */
    List<BankTransaction> getTransactions(String accountId, Optional<LocalDate> since);

    /** @return the account's latest balance, when the source states one */
    Optional<Balance> getBalance(String accountId);

    /**
     * What a sync stores as the account's holdings: {@link #getHoldings}, plus the {@link #getBalance balance} as a
     * cash holding (symbol = currency, attribute {@code balance_as_of}) unless the plugin reports cash in that
     * currency already. Reconciliation checks the statement's lines against that balance.
     *
     * @param source the source name the holding carries (the plugin id)
     * @return the holdings with the balance; never null
     */
    default List<Holding> getHoldingsWithBalance(String accountId, String source) {
        List<Holding> held = getHoldings(accountId);
        Optional<Balance> balance = getBalance(accountId).filter(b -> held.stream()
                .noneMatch(h -> h.assetClass() == AssetClass.CASH && h.currency().equals(b.currency())));
        if (balance.isEmpty()) {
            return held;
        }
        Balance b = balance.get();
        List<Holding> out = new java.util.ArrayList<>(held);
        out.add(Holding.builder().symbol(b.currency()).quantity(b.amount()).currentPrice(java.math.BigDecimal.ONE)
                .marketValue(b.amount()).currency(b.currency()).accountId(b.accountId()).assetClass(AssetClass.CASH)
                .source(source).attribute("balance_as_of", b.asOf().toString()).build());
        return out;
    }

    /**
     * What the last reads found but could not use in full, without failing: a statement file skipped (with why), a
     * malformed optional field dropped (naming file, line and field), two different lines sharing one bank id. A
     * sync takes them after each job, before {@link #logout()}, and shows them to the user with its result. Keep
     * them from the data calls; a plugin that reports none need not implement this.
     *
     * @return the warnings since the last call, which clears them; never null; by default none
     */
    default List<DataWarning> takeWarnings() {
        return List.of();
    }

    /** @return whether the plugin can reach its data now */
    HealthStatus healthCheck();

    /** Ends the session and forgets credentials held in memory. Idempotent. */
    void logout();
}
