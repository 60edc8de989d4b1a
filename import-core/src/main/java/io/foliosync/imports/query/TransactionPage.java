package io.foliosync.imports.query;

import java.util.List;
import java.util.Optional;

/**
 * A page of the transaction listing.
 *
 * @param next where the next page starts; empty when this is the last page
 */
public record TransactionPage(List<StoredTransaction> rows, Optional<TransactionPageQuery.Key> next) {
    public TransactionPage {
        rows = List.copyOf(rows);
    }
}
