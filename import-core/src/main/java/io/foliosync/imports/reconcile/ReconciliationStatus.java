package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Locale;
import org.apiguardian.api.API;

/** How an asset's reported quantity compares with the quantity its imported history explains. */
@API(status = STABLE, since = "0.1")
public enum ReconciliationStatus {
    /** reported and derived agree within the asset class's tolerance */
    MATCHES,
    /**
     * they agree once an opening quantity held before the first imported transaction is counted: the history
     * starts after the account did (the source keeps a limited history, or the account was connected late)
     */
    HISTORY_STARTS_AFTER_ACCOUNT,
    /** they differ by more than the tolerance and no opening quantity explains it: a gap in the history */
    UNEXPLAINED,
    /**
     * not checked, on purpose: a broker account's cash. Broker histories rarely carry every cash movement (accrued
     * interest, FX conversions, sweeps, margin), so the reported balance is shown beside what the history explains,
     * without a verdict; it neither counts for nor against the account's data quality score
     */
    NOT_RECONCILED,
    /**
     * not checked: the source did not report the account's positions at all (a Flex statement without an Open
     * Positions section). Not "reported 0": what the history explains is shown without a verdict, and it counts
     * neither for nor against the account's data quality score
     */
    NO_POSITIONS_REPORTED;

    /** @return whether the asset counts as reconciled for the account's data quality score */
    public boolean reconciles() {
        return this != UNEXPLAINED;
    }

    /** @return whether the asset was checked at all (it counts in the data quality score) */
    public boolean checked() {
        return this != NOT_RECONCILED && this != NO_POSITIONS_REPORTED;
    }

    /** @return whether the source reported a quantity to compare with: false for {@link #NO_POSITIONS_REPORTED} */
    public boolean hasReported() {
        return this != NO_POSITIONS_REPORTED;
    }

    /** @return the {@code reconciliation_results.status} value */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReconciliationStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
