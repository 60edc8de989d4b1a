package io.foliosync.imports.pipeline;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Transaction;

/** Stage 1: the {@link Normalizer}'s canonical form; a record it cannot read fails the page, naming the record. */
final class NormalizeStage {
    private final Normalizer normalizer;
    private final String sourceId;
    private final int pageNo;

    NormalizeStage(Normalizer normalizer, String sourceId, int pageNo) {
        this.normalizer = normalizer;
        this.sourceId = sourceId;
        this.pageNo = pageNo;
    }

    /**
     * @param index the record's position in the page, naming it when it has no source id
     * @throws DataFetchException when the record is malformed: a retry reads the same record, so the job's
     *                            runner does not retry it
     */
    Transaction apply(Transaction raw, int index) {
        try {
            return normalizer.normalize(raw);
        } catch (NumberOutOfRangeException e) {
            throw DataFetchException.malformed(sourceId, "transactions page " + pageNo,
                    raw.sourceId().orElse("#" + (index + 1)), e.field(), e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw DataFetchException.malformed(sourceId, "transactions page " + pageNo,
                    raw.sourceId().orElse("#" + (index + 1)), null, e.getMessage(), e);
        }
    }
}
