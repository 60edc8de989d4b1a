package io.foliosync.imports.query;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A page of the transaction listing.
 *
 * @param next where the next page starts; empty when this is the last page
 */
@API(status = STABLE, since = "0.1")
public record TransactionPage(List<StoredTransaction> rows, Optional<TransactionPageQuery.Key> next) {
    public TransactionPage {
        rows = List.copyOf(rows);
    }
}
