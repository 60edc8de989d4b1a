package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.imports.query.StoredTransaction;
import java.math.BigDecimal;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One transfer between two of the user's accounts, shown as one: its link and both stored sides.
 *
 * @param link       the stored link
 * @param withdrawal the side that left one account (WITHDRAWAL or TRANSFER_OUT)
 * @param deposit    the side that arrived at the other (DEPOSIT or TRANSFER_IN)
 */
@API(status = STABLE, since = "0.1")
public record LinkedTransfer(TransferLink link, StoredTransaction withdrawal, StoredTransaction deposit) {
    public LinkedTransfer {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(withdrawal, "withdrawal");
        Objects.requireNonNull(deposit, "deposit");
    }

    /** @return what arrived: the deposit's quantity (its amount for a cash movement) */
    public BigDecimal received() {
        return TransferLinker.quantityOf(deposit.transaction());
    }

    /** @return what left: the withdrawal's quantity (its amount for a cash movement); its fees are on the record */
    public BigDecimal sent() {
        return TransferLinker.quantityOf(withdrawal.transaction());
    }
}
