package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.AssetClass;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One asset of one account, reconciled.
 *
 * @param asset           the symbol or currency
 * @param assetClass      the class whose tolerance applied
 * @param reported        what the source reports now (0 when it reports none of it); for
 *                        {@link ReconciliationStatus#NO_POSITIONS_REPORTED} 0 by convention and meaningless (the
 *                        source reported nothing): read {@link #reportedQuantity()}
 * @param derived         what the imported history explains, the opening quantity included
 * @param difference      {@code reported - derived}; for an {@link ReconciliationStatus#UNEXPLAINED} asset whose
 *                        latest quantities agree but an earlier snapshot or running balance did not, the difference
 *                        at that first divergence
 * @param status          the verdict
 * @param openingQuantity the quantity held before the first imported transaction, when the history starts after
 *                        the account (and for an unexplained asset whose oldest snapshot predates the history)
 * @param divergedOn      the first day reported and derived differ, when they do: the day of the source's first
 *                        running balance (a ledger entry's balance, a statement line's) the history does not explain,
 *                        else of the first stored snapshot (or statement day) that disagrees
 * @param agreedThrough   for an asset that does not reconcile, the last day before {@code divergedOn} on which the
 *                        source (a snapshot or running balance) and the history still agreed: the missing record lies
 *                        after it and on or before {@code divergedOn}; empty when nothing earlier agreed
 * @param suspectRecords  for an asset that does not reconcile, where to look, one sentence each: the records of
 *                        unknown effect (OTHER) that moved it, the running balance that parts from the history with
 *                        the window the missing record lies in; empty otherwise
 * @param countedOther    the OTHER-typed records (raw type named) counted in {@code derived}: counted only when the
 *                        asset reconciles with them and not without them
 */
@API(status = STABLE, since = "0.1")
public record AssetReconciliation(String asset, AssetClass assetClass, BigDecimal reported, BigDecimal derived,
                                  BigDecimal difference, ReconciliationStatus status,
                                  Optional<BigDecimal> openingQuantity, Optional<LocalDate> divergedOn,
                                  Optional<LocalDate> agreedThrough, List<String> suspectRecords,
                                  List<String> countedOther) {
    public AssetReconciliation {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(assetClass, "assetClass");
        Objects.requireNonNull(reported, "reported");
        Objects.requireNonNull(derived, "derived");
        Objects.requireNonNull(difference, "difference");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(openingQuantity, "openingQuantity");
        Objects.requireNonNull(divergedOn, "divergedOn");
        Objects.requireNonNull(agreedThrough, "agreedThrough");
        suspectRecords = List.copyOf(suspectRecords);
        countedOther = List.copyOf(countedOther);
    }

    /** An asset with nothing to point at: it reconciles, or nothing locates its difference. */
    public AssetReconciliation(String asset, AssetClass assetClass, BigDecimal reported, BigDecimal derived,
                               BigDecimal difference, ReconciliationStatus status,
                               Optional<BigDecimal> openingQuantity, Optional<LocalDate> divergedOn) {
        this(asset, assetClass, reported, derived, difference, status, openingQuantity, divergedOn, Optional.empty(),
                List.of(), List.of());
    }

    public boolean reconciles() {
        return status.reconciles();
    }

    /** @return what the source reports now; empty when it did not report the account's positions at all */
    public Optional<BigDecimal> reportedQuantity() {
        return status.hasReported() ? Optional.of(reported) : Optional.empty();
    }

    /** @return {@code reported - derived}; empty when the source did not report the account's positions at all */
    public Optional<BigDecimal> reportedDifference() {
        return status.hasReported() ? Optional.of(difference) : Optional.empty();
    }
}
