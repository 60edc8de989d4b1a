package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * What a transaction did. Direction lives here, not in the sign of the quantity: a normalized
 * transaction's quantity and amount are non-negative.
 */
@API(status = STABLE, since = "0.1")
public enum TransactionType {
    BUY,
    SELL,
    DIVIDEND,
    INTEREST,
    DEPOSIT,
    WITHDRAWAL,
    FEE,
    TRANSFER_IN,
    TRANSFER_OUT,
    TAX,
    SPLIT,
    REWARD,
    /** Anything the source reports that none of the above describes; the raw type is kept. */
    OTHER;

    /** @return whether cash or units arrive in the account with this type */
    public boolean isInflow() {
        return switch (this) {
            case SELL, DIVIDEND, INTEREST, DEPOSIT, TRANSFER_IN, REWARD -> true;
            default -> false;
        };
    }
}
