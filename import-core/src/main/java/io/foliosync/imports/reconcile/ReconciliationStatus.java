package io.foliosync.imports.reconcile;

import java.util.Locale;

/** How an asset's reported quantity compares with the quantity its imported history explains. */
public enum ReconciliationStatus {
    /** reported and derived agree within the asset class's tolerance */
    MATCHES,
    /**
     * they agree once an opening quantity held before the first imported transaction is counted: the history
     * starts after the account did (the source keeps a limited history, or the account was connected late)
     */
    HISTORY_STARTS_AFTER_ACCOUNT,
    /** they differ by more than the tolerance and no opening quantity explains it: a gap in the history */
    UNEXPLAINED;

    /** @return whether the asset counts as reconciled for the account's data quality score */
    public boolean reconciles() {
        return this != UNEXPLAINED;
    }

    /** @return the {@code reconciliation_results.status} value */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReconciliationStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
