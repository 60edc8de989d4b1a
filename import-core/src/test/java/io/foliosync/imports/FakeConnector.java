package io.foliosync.imports;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/** A connector that serves transactions from memory in pages: a fake, not a mock. */
public class FakeConnector extends AbstractConnector {
    public final String id;
    public volatile List<Transaction> transactions = List.of();
    public volatile List<Holding> holdings = List.of();
    /** The accounts whose positions this source does not report (a Flex statement without Open Positions). */
    public volatile Set<String> accountsWithoutPositions = Set.of();
    public volatile int pageSize = 3;
    /** Serve every transaction whatever the query's since, like a source that re-sends its history. */
    public volatile boolean ignoreSince;
    /** When set, fetching this page (1-based) throws what the function gives. */
    public volatile IntFunction<RuntimeException> failOnPage = p -> null;
    public volatile CountDownLatch blockUntil;
    public volatile CountDownLatch started = new CountDownLatch(1);
    public final List<TransactionQuery> queries = new CopyOnWriteArrayList<>();
    public volatile boolean disconnected;

    /** The unit of sync; the namespace ({@code id}) unless set, as for one account of a shared provider. */
    public volatile String sourceId;
    public volatile String accountId = "ACC-1";
    public volatile ConnectorType type = ConnectorType.BROKER;
    /** When set, authenticate() refuses with this message, as a source whose key was revoked. */
    public volatile String refuseCredentials;
    /** When set, every call throws it, as an unreachable source. */
    public volatile RuntimeException unreachable;

    public FakeConnector(String id) {
        super(Clock.systemUTC());
        this.id = id;
    }

    /** One account of a provider whose sources share the namespace {@code namespace}. */
    public static FakeConnector account(String namespace, String sourceId, String accountId) {
        FakeConnector c = new FakeConnector(namespace);
        c.sourceId = sourceId;
        c.accountId = accountId;
        return c;
    }

    /** When set, what remainingTime() answers while the history is read. */
    volatile java.time.Duration remaining;

    @Override
    public Optional<java.time.Duration> remainingTime() {
        return Optional.ofNullable(remaining);
    }

    @Override
    public String sourceId() {
        return sourceId != null ? sourceId : id;
    }

    @Override
    public ConnectorMetadata metadata() {
        return new ConnectorMetadata(id, type, "1.0", "fake " + id, Set.of(), false, false,
                Optional.empty(), Optional.empty());
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.ACCOUNTS, Capability.HOLDINGS, Capability.TRANSACTIONS);
    }

    @Override
    public io.foliosync.connectors.api.HealthStatus healthCheck() {
        return io.foliosync.connectors.api.HealthStatus.healthy("ok", java.time.Instant.now(), java.time.Duration.ZERO);
    }

    @Override
    protected void doDisconnect() {
        disconnected = true;
    }

    @Override
    protected AuthenticationResult doAuthenticate() {
        RuntimeException down = unreachable;
        if (down != null) {
            throw down;
        }
        String refused = refuseCredentials;
        return refused != null ? AuthenticationResult.failure(refused) : AuthenticationResult.success("ok");
    }

    @Override
    protected List<Account> fetchAccounts() {
        return List.of(new Account(accountId, "Main", AccountType.BROKERAGE, "USD", AccountStatus.ACTIVE,
                Optional.empty(), id));
    }

    @Override
    protected List<Holding> fetchHoldings() {
        return holdings;
    }

    @Override
    protected io.foliosync.connectors.api.HoldingsReport fetchHoldingsReport() {
        return new io.foliosync.connectors.api.HoldingsReport(holdings, accountsWithoutPositions);
    }

    @Override
    protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
        queries.add(query);
        started.countDown();
        CountDownLatch block = blockUntil;
        if (block != null) {
            try {
                block.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Transaction> matching = new ArrayList<>();
        for (Transaction t : transactions) {
            if (ignoreSince || query.contains(t.date())) {
                matching.add(t);
            }
        }
        return PagedResult.of(cursor -> {
            int from = cursor.map(Integer::parseInt).orElse(0);
            int pageNo = from / pageSize + 1;
            RuntimeException failure = failOnPage.apply(pageNo);
            if (failure != null) {
                throw failure;
            }
            int to = Math.min(matching.size(), from + pageSize);
            List<Transaction> items = matching.subList(from, to);
            return to < matching.size() ? Page.of(items, String.valueOf(to)) : Page.last(items);
        });
    }
}
