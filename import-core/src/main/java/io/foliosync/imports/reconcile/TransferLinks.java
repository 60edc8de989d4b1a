package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.imports.query.PortfolioQuery;
import io.foliosync.imports.query.StoredTransaction;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The linked transfers as a look-up, so a total across accounts counts each transfer once.
 *
 * <p>A transfer between two of the user's accounts is stored as two records: a withdrawal at one account and a
 * deposit at the other. Summed across accounts as flows (money in, money out, net contributions), both legs would
 * count although nothing entered or left the user's portfolio. Leave the linked legs out of such totals
 * ({@link #isLinked(StoredTransaction)}, {@link #withoutLinkedLegs}) and show each transfer once from
 * {@link PortfolioQuery#transfers}; what it cost is on the withdrawal (its fees, and {@link LinkedTransfer#sent()}
 * less {@link LinkedTransfer#received()}). Totals per account (its own balance, reconciliation) keep both legs:
 * for one account the transfer is a real movement.
 *
 * <pre>{@code
 * TransferLinks links = TransferLinks.read(folioSync.query());
 * List<StoredTransaction> flows = links.withoutLinkedLegs(folioSync.query().transactions(Optional.empty()));
 * }</pre>
 */
@API(status = STABLE, since = "0.1")
public final class TransferLinks {
    private final Map<List<String>, TransferLink> bySide;

    private TransferLinks(Map<List<String>, TransferLink> bySide) {
        this.bySide = bySide;
    }

    public static TransferLinks of(Collection<TransferLink> links) {
        Map<List<String>, TransferLink> m = new HashMap<>();
        for (TransferLink l : links) {
            m.put(List.of(l.outSourceName(), l.outAccountId(), l.outSourceId()), l);
            m.put(List.of(l.inSourceName(), l.inAccountId(), l.inSourceId()), l);
        }
        return new TransferLinks(m);
    }

    /** @return every stored link as a look-up */
    public static TransferLinks read(PortfolioQuery query) {
        return of(query.transferLinks(Optional.empty()));
    }

    /** @return whether the record (namespace, account, record id) is a side of a linked transfer */
    public boolean isLinked(String sourceName, String accountId, String sourceId) {
        return bySide.containsKey(List.of(sourceName, accountId, sourceId));
    }

    public boolean isLinked(StoredTransaction t) {
        return isLinked(t.sourceName(), t.transaction().accountId(), t.recordId());
    }

    /** @return the link the record is a side of */
    public Optional<TransferLink> linkOf(StoredTransaction t) {
        return Optional.ofNullable(bySide.get(List.of(t.sourceName(), t.transaction().accountId(), t.recordId())));
    }

    /** @return the records that are not a side of a linked transfer, in their order: what flow totals sum */
    public List<StoredTransaction> withoutLinkedLegs(Collection<StoredTransaction> transactions) {
        return transactions.stream().filter(t -> !isLinked(t)).toList();
    }

    /** @return how many transfers are linked */
    public int size() {
        return bySide.size() / 2;
    }
}
