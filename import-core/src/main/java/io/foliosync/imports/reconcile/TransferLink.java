package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.STABLE;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A stored {@code transfer_links} row: the withdrawal side ({@code out}) and the deposit side ({@code in}) of one
 * transfer between two of the user's accounts, each named like a {@code transactions} row by namespace
 * ({@code source_name}), account and record id ({@code source_id}).
 *
 * @param symbol   the asset moved (the symbol, or the currency of a cash movement)
 * @param quantity what left the withdrawing account (the withdrawal's quantity; the deposit may be less by the fee)
 * @param method   how the two sides were matched
 * @param linkedAt when the link was made
 */
@API(status = STABLE, since = "0.1")
public record TransferLink(String outSourceName, String outAccountId, String outSourceId,
                           String inSourceName, String inAccountId, String inSourceId,
                           String symbol, BigDecimal quantity, TransferLinkMethod method, Instant linkedAt) {
    public TransferLink {
        Objects.requireNonNull(outSourceName, "outSourceName");
        Objects.requireNonNull(outAccountId, "outAccountId");
        Objects.requireNonNull(outSourceId, "outSourceId");
        Objects.requireNonNull(inSourceName, "inSourceName");
        Objects.requireNonNull(inAccountId, "inAccountId");
        Objects.requireNonNull(inSourceId, "inSourceId");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(linkedAt, "linkedAt");
    }
}
