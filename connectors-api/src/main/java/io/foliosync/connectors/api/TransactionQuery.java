package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Instant;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Which transactions to fetch.
 *
 * <p>Bounds: {@code since} is inclusive and {@code until} exclusive, both compared with
 * {@link Transaction#date()}. A source whose API only filters by day rounds outwards and filters the rest
 * itself, so callers always get exactly the half-open range {@code [since, until)}. Without {@code since} a
 * connector returns all the history its source keeps; without {@code until}, everything up to now.
 *
 * @param accountId one account, or empty for every account of the source
 * @param since     the earliest transaction time, inclusive
 * @param until     the latest transaction time, exclusive
 */
@API(status = STABLE, since = "0.1")
public record TransactionQuery(Optional<String> accountId, Optional<Instant> since, Optional<Instant> until) {
    public TransactionQuery {
        Fields.optional("TransactionQuery", "accountId", accountId);
        Fields.optional("TransactionQuery", "since", since);
        Fields.optional("TransactionQuery", "until", until);
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new IllegalArgumentException("TransactionQuery.since (" + since.get()
                    + ") must be before until (" + until.get() + ")");
        }
    }

    /** @return a query for all the history of every account */
    public static TransactionQuery all() {
        return new TransactionQuery(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** @return a query for every account from {@code since} on */
    public static TransactionQuery since(Instant since) {
        return new TransactionQuery(Optional.empty(), Optional.of(since), Optional.empty());
    }

    /** @return this query restricted to one account */
    public TransactionQuery forAccount(String id) {
        return new TransactionQuery(Optional.of(id), since, until);
    }

    /** @return this query with an exclusive upper bound */
    public TransactionQuery until(Instant until) {
        return new TransactionQuery(accountId, since, Optional.of(until));
    }

    /** @return whether {@code instant} lies in {@code [since, until)} */
    public boolean contains(Instant instant) {
        return since.map(s -> !instant.isBefore(s)).orElse(true)
                && until.map(u -> instant.isBefore(u)).orElse(true);
    }
}
