package io.foliosync.imports.query;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.Transaction;
import org.apiguardian.api.API;

/**
 * A row of {@code transactions}.
 *
 * @param sourceType  the kind of source
 * @param sourceName  the source's id
 * @param recordId    the {@code source_id} column: the source's id or {@code h:} + content hash
 * @param contentHash the hash of the stored fields
 * @param transaction the record (its {@code source} is the source's id)
 */
@API(status = STABLE, since = "0.1")
public record StoredTransaction(String sourceType, String sourceName, String recordId, String contentHash,
                                Transaction transaction) {
}
