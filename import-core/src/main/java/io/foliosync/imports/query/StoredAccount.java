package io.foliosync.imports.query;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.Account;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A row of {@code accounts} with its link to the source that reports it.
 *
 * @param sourceType   the kind of source
 * @param sourceName   the namespace the account belongs to: a provider's name shared by its sources
 *                     ({@code crypto_exchanges}, {@code ibkr}) or a source's own id
 * @param account      the account as the source last reported it (its {@code source} is {@code sourceName})
 * @param lastSyncedAt when a sync last reported the account, when one did
 */
@API(status = STABLE, since = "0.1")
public record StoredAccount(String sourceType, String sourceName, Account account, Optional<Instant> lastSyncedAt) {
    public StoredAccount {
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(lastSyncedAt, "lastSyncedAt");
    }
}
