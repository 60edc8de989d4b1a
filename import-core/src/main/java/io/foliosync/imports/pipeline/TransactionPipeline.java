package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Internal: not part of the API (the job runner calls it; users configure it through the {@link Normalizer} and
 * {@link Validator} they give {@code ImportOrchestrator.Builder}).
 *
 * <p>What a page of transactions goes through between the connector and the store:
 * {@link NormalizeStage} → {@link IdentifyStage} → {@link ValidateStage} → {@link DeduplicateStage}. Each record
 * passes all four before the next one starts, so rejections keep the page's order. The identify and deduplicate
 * stages remember the records of one page, so a page gets new stages; the pipeline itself is thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class TransactionPipeline {
    private final Normalizer normalizer;
    private final Validator validator;

    public TransactionPipeline(Normalizer normalizer, Validator validator) {
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /**
     * Holdings are stored whole per snapshot, so they only need the normalizer's symbols and currencies.
     *
     * @throws io.foliosync.connectors.api.DataFetchException (malformed) for a figure beyond what FolioSync stores
     */
    public Holding holding(Holding h) {
        try {
            return normalizer.normalize(h);
        } catch (NumberOutOfRangeException e) {
            throw io.foliosync.connectors.api.DataFetchException.malformed(h.source(), "holdings",
                    h.accountId() + " " + h.symbol(), e.field(), e.getMessage(), e);
        }
    }

    /**
     * @throws io.foliosync.connectors.api.DataFetchException naming the record the normalizer could not read:
     *                                                        a malformed page is stored not at all
     */
    public TransactionBatch page(Origin origin, List<Transaction> items, int pageNo) {
        NormalizeStage normalize = new NormalizeStage(normalizer, origin.sourceId(), pageNo);
        IdentifyStage identify = new IdentifyStage();
        ValidateStage validate = new ValidateStage(validator, origin.sourceId(), origin.listsItsAssets());
        DeduplicateStage deduplicate = new DeduplicateStage(validator, pageNo);
        List<KeyedTransaction> records = new ArrayList<>(items.size());
        List<Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Transaction t = normalize.apply(items.get(i), i);
            String recordId = identify.recordId(t);
            String location = FieldValues.location(t, pageNo, i);
            List<Rejection> invalid = validate.rejections(t, recordId, location);
            if (!invalid.isEmpty()) {
                rejections.addAll(invalid);
                continue;
            }
            Optional<Rejection> duplicate = deduplicate.rejection(t, recordId, location);
            if (duplicate.isPresent()) {
                rejections.add(duplicate.get());
                continue;
            }
            records.add(new KeyedTransaction(t, recordId, Hashing.contentHash(t)));
        }
        return new TransactionBatch(origin.sourceType(), origin.namespace(), records, rejections);
    }

    /**
     * Where a page comes from.
     *
     * @param sourceId       the source, for error messages
     * @param sourceType     the {@code source_type} its rows carry
     * @param namespace      the {@code source_name} its rows carry (shared by the sources of one provider)
     * @param listsItsAssets whether every well-formed ticker the source uses is a currency (a crypto exchange)
     */
    public record Origin(String sourceId, String sourceType, String namespace, boolean listsItsAssets) {
        public Origin {
            Objects.requireNonNull(sourceId, "sourceId");
            Objects.requireNonNull(sourceType, "sourceType");
            Objects.requireNonNull(namespace, "namespace");
        }
    }
}
