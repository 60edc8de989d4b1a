package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a succeeded job read of its source's transactions: everything from {@code since} on (inclusive, as
 * {@code TransactionQuery} defines it), or the whole history when empty. The store re-checks the source's
 * quarantine against it: an open row the job read and did not reject again is resolved.
 *
 * @param since where the read started: the cursor the job started from, empty for a full read
 */
@API(status = INTERNAL, since = "0.1")
public record TransactionsRead(Optional<Instant> since) {
    public TransactionsRead {
        Objects.requireNonNull(since, "since");
    }
}
