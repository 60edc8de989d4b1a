package io.foliosync.imports.pipeline;

import io.foliosync.connectors.api.Transaction;
import java.util.HashMap;
import java.util.Map;

/**
 * Stage 2: the record's identity part, its source's id, else {@code h:} + a hash of its content. Two records of
 * one page with the same content and no source id are two real events (two equal buys in one minute), so the
 * second gets {@code #2}: for one page only, hence one stage per page.
 */
final class IdentifyStage {
    private final Map<String, Integer> occurrences = new HashMap<>();

    String recordId(Transaction t) {
        if (t.sourceId().isPresent()) {
            return t.sourceId().get();
        }
        String hash = Hashing.contentIdentity(t);
        int n = occurrences.merge(hash, 1, Integer::sum);
        return n == 1 ? hash : hash + "#" + n;
    }
}
