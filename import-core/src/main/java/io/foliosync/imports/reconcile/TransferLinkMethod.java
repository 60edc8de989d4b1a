package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Arrays;
import org.apiguardian.api.API;

/** How a {@link TransferLink}'s two sides were matched. */
@API(status = STABLE, since = "0.1")
public enum TransferLinkMethod {
    /** Both sides carry the same {@code network_tx_id} attribute (the chain's transaction id). */
    NETWORK_TX_ID("network_tx_id"),
    /** Same asset, equal quantity (or quantity less the withdrawal's fee), deposit within the window after. */
    AMOUNT_WINDOW("amount_window");

    private final String dbValue;

    TransferLinkMethod(String dbValue) {
        this.dbValue = dbValue;
    }

    /** @return the {@code transfer_links.method} value */
    public String dbValue() {
        return dbValue;
    }

    public static TransferLinkMethod fromDb(String value) {
        return Arrays.stream(values()).filter(m -> m.dbValue.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown transfer link method: " + value));
    }
}
