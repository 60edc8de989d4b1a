package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A source of holdings, transactions and accounts: a broker, a crypto exchange, a market-data provider.
 *
 * <p>Lifecycle: construct with configuration, call {@link #authenticate()} and check its result, call the
 * data methods, then {@link #close()}. Data methods called before a successful {@code authenticate()} throw
 * {@link DataFetchException}. Results are never null: absent data is an empty list or an empty
 * {@link PagedResult}. A connector returns data only for what {@link #capabilities()} declares; for the
 * rest it returns empty results.
 *
 * <p>Errors are typed: {@link AuthenticationException} (credentials refused or expired),
 * {@link RateLimitException} (with the source's retry-after), {@link DataFetchException} (naming source,
 * endpoint, record and field; {@link NetworkException}, {@link HttpStatusException},
 * {@link MalformedDataException} and {@link UntrustedCertificateException} say which failure it was),
 * {@link ConfigurationException}. Callers decide by type, never by message.
 */
@API(status = STABLE, since = "0.1")
public interface Connector extends AutoCloseable {

    /** @return what this connector is; never null */
    ConnectorMetadata metadata();

    /**
     * The unit of sync this connector reads: one exchange account, one IBKR gateway account or Flex query, the
     * Schwab API or its CSV folder. import-core gives each source id its own import job, transaction cursor,
     * lock and rate-limit key, so one account that fails never moves another's cursor. Stored rows keep
     * {@link ConnectorMetadata#name()} as their namespace, so records two sources of one provider both report
     * (two Flex queries covering one day) are stored once.
     *
     * @return a stable id, unique among the configured sources, usable on a command line; by default the
     *         connector's name, for a connector that is a single source
     */
    default String sourceId() {
        return metadata().name();
    }

    /** @return what this connector can return; never null */
    Set<Capability> capabilities();

    /**
     * Connects to the source and checks the credentials. Never throws for refused credentials: the result
     * says what failed and what to do.
     *
     * @return the outcome; never null
     */
    AuthenticationResult authenticate();

    /** @return whether the last {@link #authenticate()} succeeded and the connector is not closed */
    boolean isAuthenticated();

    /** @return the accounts the credentials reach; never null */
    List<Account> getAccounts();

    /** @return the current holdings of every account; never null */
    List<Holding> getHoldings();

    /** @return the current holdings of one account; never null, empty for an unknown account */
    List<Holding> getHoldings(String accountId);

    /**
     * @return the current holdings of every account, with the accounts whose positions the source did not report
     *         at all (not "none": nothing was said); never null. By default every account's positions count as
     *         reported: a connector whose source can leave them out (a Flex statement without Open Positions)
     *         says which
     */
    default HoldingsReport getHoldingsReport() {
        return HoldingsReport.complete(getHoldings());
    }

    /**
     * Fetches transactions lazily, page by page, as the caller consumes them. Close the result when done.
     *
     * @param query which accounts and which half-open time range {@code [since, until)}
     * @return the matching transactions; never null
     */
    PagedResult<Transaction> getTransactions(TransactionQuery query);

    /**
     * How long reading the transaction history still takes, while {@link #getTransactions} is being consumed:
     * derived from the source's documented rate limit and the pages it knows remain (Kraken reports its history's
     * size). A progress display shows it; nothing waits on it.
     *
     * @return the estimate, excluding round trips; empty when the source cannot tell
     */
    default Optional<java.time.Duration> remainingTime() {
        return Optional.empty();
    }

    /**
     * What the last reads found but could not use in full, without failing: a statement file skipped, a malformed
     * optional field dropped. import-core takes them after each job and shows them with its result.
     *
     * @return the warnings since the last call, which clears them; never null; by default none
     */
    default List<DataWarning> takeWarnings() {
        return List.of();
    }

    /** @return whether the source answers now; never throws for an unreachable source */
    HealthStatus healthCheck();

    /** Ends the session with the source and stops background work. Idempotent. */
    void disconnect();

    /** Same as {@link #disconnect()}. */
    @Override
    default void close() {
        disconnect();
    }
}
