package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Transaction;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Internal: not part of the API (the pipeline's output, {@code PortfolioStore}'s input).
 *
 * <p>A normalized, validated transaction with its identity, ready to store.
 *
 * @param transaction the normalized record
 * @param recordId    the identity's record part: the source's id, or {@code h:} + a content hash
 * @param contentHash SHA-256 (hex) of every stored field, to tell a corrected record from an unchanged one
 */
@API(status = INTERNAL, since = "0.1")
public record KeyedTransaction(Transaction transaction, String recordId, String contentHash) {
    public KeyedTransaction {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(contentHash, "contentHash");
    }
}
