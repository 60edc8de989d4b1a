package io.foliosync.imports;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.pipeline.Hashing;
import io.foliosync.imports.pipeline.Normalizer;

/**
 * For the benchmark's baseline: the values the pipeline stores for {@link SyntheticConnector#transaction}
 * record {@code i} (identity, change-detection hash, canonical symbol), computed with the pipeline's own
 * normalizer and hashing, so the raw insert writes the very same rows.
 */
public final class StoredRows {
    private static final Normalizer NORMALIZER = Normalizer.defaults();

    private StoredRows() {
    }

    /** @return {record id, content hash (hex), symbol} of synthetic record {@code i} as the pipeline stores it */
    public static String[] stored(String source, long i) {
        Transaction t = NORMALIZER.normalize(SyntheticConnector.transaction(source, i));
        String id = t.sourceId().orElseGet(() -> Hashing.contentIdentity(t));
        return new String[] {id, Hashing.contentHash(t), t.symbol().orElse(null)};
    }
}
