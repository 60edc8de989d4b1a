package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.imports.query.StoredTransaction;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The records of one account that jobs wrote after a given job (see {@link PortfolioStore#writtenAfter}).
 *
 * @param inserted  the new records, by date; empty when {@code rewritten}
 * @param rewritten whether one of those jobs rewrote a stored record in place (a correction at the source): what it
 *                  held before is gone, so nothing derived from the old record can be updated from these alone
 */
@API(status = INTERNAL, since = "0.1")
public record AccountWrites(List<StoredTransaction> inserted, boolean rewritten) {
    public AccountWrites {
        inserted = List.copyOf(inserted);
    }
}
