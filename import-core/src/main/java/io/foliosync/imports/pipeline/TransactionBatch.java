package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Internal: not part of the API (the pipeline's output, {@code PortfolioStore}'s input).
 *
 * <p>One page of a source's transactions after normalization and validation, stored in one database
 * transaction.
 *
 * @param sourceType  the kind of source, such as {@code crypto_exchange}
 * @param sourceName  the source's id, such as {@code kraken}
 * @param records     the records to store; identities are unique within the batch
 * @param rejections  the records to quarantine
 */
@API(status = INTERNAL, since = "0.1")
public record TransactionBatch(String sourceType, String sourceName, List<KeyedTransaction> records,
                               List<Rejection> rejections) {
    public TransactionBatch {
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(sourceName, "sourceName");
        records = List.copyOf(records);
        rejections = List.copyOf(rejections);
    }
}
