package io.foliosync.imports.query;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.TransactionType;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One page of the transaction listing, newest first by trade date then by row: the filters, and where the page
 * starts ({@code after}, the last row of the page before; empty for the first page). Paging by a key instead of
 * an offset keeps the last page of a million rows as fast as the first.
 *
 * @param limit rows on the page, 1 to 1000
 */
@API(status = STABLE, since = "0.1")
public record TransactionPageQuery(Optional<String> source, Optional<String> account, Optional<String> symbol,
                               Optional<TransactionType> type, Optional<LocalDate> from, Optional<LocalDate> to,
                               Optional<Key> after, int limit) {
    public TransactionPageQuery {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
        }
    }

    /** @return the first page of everything, {@code limit} rows */
    public static TransactionPageQuery firstPage(int limit) {
        return new TransactionPageQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    /** @return the same filters, starting after {@code key} */
    public TransactionPageQuery after(Key key) {
        return new TransactionPageQuery(source, account, symbol, type, from, to, Optional.of(key), limit);
    }

    /** Where a row sits in the listing's order: its trade date, then its row id. */
    public record Key(LocalDate tradeDate, long rowId) {
        public Key {
            Objects.requireNonNull(tradeDate, "tradeDate");
        }
    }
}
