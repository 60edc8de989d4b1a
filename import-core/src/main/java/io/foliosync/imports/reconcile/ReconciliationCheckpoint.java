package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What reconciliation keeps of one account's history between two checks, so that the next check reads only the
 * records written since instead of the whole history (issue 22).
 *
 * <p>The verdict reads an asset's history in two ways only: its sum up to each snapshot's instant, and its lowest
 * running value. Both survive folding the effects that fall between two consecutive snapshot instants into two
 * entries at the later instant (the interval's lowest running value, then the rest of its sum), so the checkpoint
 * holds, per asset, at most two entries per snapshot interval plus the effects after the newest snapshot one by
 * one. A record written later whose date falls at or before {@link #foldedThrough()}, a record rewritten in place,
 * or a new snapshot inside the folded span would change a folded interval: the check then reads the whole history
 * once and starts a new checkpoint.
 *
 * @param kind             the account kind the effects were derived for
 * @param throughJobId     every record written by this job or an earlier one is in the entries
 * @param foldedThrough    the newest snapshot instant the entries are folded at, when there was a snapshot
 * @param foldedSnapshots  how many distinct snapshot instants lay at or before {@code foldedThrough}
 * @param firstTransaction the date of the account's oldest record, when it has one
 * @param effects          per asset, in date order
 */
@API(status = INTERNAL, since = "0.1")
public record ReconciliationCheckpoint(String namespace, String accountId, AccountKind kind, long throughJobId,
                                       Optional<Instant> foldedThrough, int foldedSnapshots,
                                       Optional<Instant> firstTransaction, List<Entry> effects, Instant checkedAt) {
    public ReconciliationCheckpoint {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(foldedThrough, "foldedThrough");
        Objects.requireNonNull(firstTransaction, "firstTransaction");
        effects = List.copyOf(effects);
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    /**
     * One change of an asset's derived quantity: a record's own, or a folded interval's.
     *
     * @param cashLeg whether it belongs to a broker account's cash (reported beside the positions, not judged)
     */
    public record Entry(boolean cashLeg, String asset, Instant at, BigDecimal delta) {
        public Entry {
            Objects.requireNonNull(asset, "asset");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(delta, "delta");
        }
    }
}
