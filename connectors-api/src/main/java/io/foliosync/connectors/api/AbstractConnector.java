package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apiguardian.api.API;

/**
 * Optional base for connectors: keeps the authenticated state and guards every data method, so a call made
 * before a successful {@link #authenticate()} fails with a {@link DataFetchException} that says so.
 * Subclasses implement the {@code fetch*} methods and may assume authentication.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class AbstractConnector implements Connector {
    private final AtomicBoolean authenticated = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    protected final Clock clock;

    protected AbstractConnector(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public final AuthenticationResult authenticate() {
        if (closed.get()) {
            return AuthenticationResult.failure(metadata().name() + " is closed: create a new connector");
        }
        AuthenticationResult result = doAuthenticate();
        authenticated.set(result.success());
        return result;
    }

    @Override
    public final boolean isAuthenticated() {
        return authenticated.get() && !closed.get();
    }

    /** Marks the connector unauthenticated, for a session the source ended. */
    protected final void markUnauthenticated() {
        authenticated.set(false);
    }

    @Override
    public final List<Account> getAccounts() {
        requireAuthenticated("getAccounts()");
        return capabilities().contains(Capability.ACCOUNTS) ? fetchAccounts() : List.of();
    }

    @Override
    public final List<Holding> getHoldings() {
        requireAuthenticated("getHoldings()");
        return capabilities().contains(Capability.HOLDINGS) ? fetchHoldings() : List.of();
    }

    @Override
    public final HoldingsReport getHoldingsReport() {
        requireAuthenticated("getHoldingsReport()");
        return capabilities().contains(Capability.HOLDINGS) ? fetchHoldingsReport() : HoldingsReport.complete(List.of());
    }

    /**
     * @return the holdings, and the accounts whose positions the source did not report; by default
     *         {@link #fetchHoldings()} with every account's positions reported
     */
    protected HoldingsReport fetchHoldingsReport() {
        return HoldingsReport.complete(fetchHoldings());
    }

    @Override
    public final List<Holding> getHoldings(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        requireAuthenticated("getHoldings(accountId)");
        if (!capabilities().contains(Capability.HOLDINGS)) {
            return List.of();
        }
        return fetchHoldings(accountId);
    }

    @Override
    public final PagedResult<Transaction> getTransactions(TransactionQuery query) {
        Objects.requireNonNull(query, "query");
        requireAuthenticated("getTransactions()");
        return capabilities().contains(Capability.TRANSACTIONS) ? fetchTransactions(query) : PagedResult.empty();
    }

    @Override
    public final void disconnect() {
        if (closed.compareAndSet(false, true)) {
            authenticated.set(false);
            doDisconnect();
        }
    }

    /** @throws DataFetchException when not authenticated */
    protected final void requireAuthenticated(String operation) {
        if (!isAuthenticated()) {
            throw DataFetchException.notAuthenticated(metadata().name(), operation);
        }
    }

    protected abstract AuthenticationResult doAuthenticate();

    protected List<Account> fetchAccounts() {
        return List.of();
    }

    protected List<Holding> fetchHoldings() {
        return List.of();
    }

    /** Defaults to filtering {@link #fetchHoldings()}; override where the source can ask for one account. */
    protected List<Holding> fetchHoldings(String accountId) {
        return fetchHoldings().stream().filter(h -> h.accountId().equals(accountId)).toList();
    }

    protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
        return PagedResult.empty();
    }

    /** Releases resources; called once. */
    protected void doDisconnect() {
    }
}
