package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.STABLE;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One account reconciled: every asset it reports or its history touches.
 *
 * @param namespace the data namespace ({@code source_name} of its rows: {@code crypto_exchanges}, {@code ibkr}, a
 *                  plugin id)
 * @param accountId the source's account id
 * @param assets    one result per asset, sorted by asset
 * @param checkedAt when it was checked
 */
@API(status = STABLE, since = "0.1")
public record AccountReconciliation(String namespace, String accountId, List<AssetReconciliation> assets,
                                    Instant checkedAt) {
    public AccountReconciliation {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(accountId, "accountId");
        assets = List.copyOf(assets);
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    /**
     * @return the share of the account's assets that reconcile ({@link ReconciliationStatus#MATCHES} or explained
     *         by an opening quantity) among those checked ({@link ReconciliationStatus#NOT_RECONCILED} cash is left
     *         out), 0..1 with four decimals; 1 for an account with no checked asset
     */
    public BigDecimal dataQualityScore() {
        List<AssetReconciliation> checked = assets.stream().filter(a -> a.status().checked()).toList();
        if (checked.isEmpty()) {
            return BigDecimal.ONE;
        }
        long ok = checked.stream().filter(AssetReconciliation::reconciles).count();
        return BigDecimal.valueOf(ok).divide(BigDecimal.valueOf(checked.size()), 4, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
    }

    /** @return whether every asset reconciles */
    public boolean reconciles() {
        return assets.stream().allMatch(AssetReconciliation::reconciles);
    }

    /** @return the assets shown but not checked (a broker account's cash), each with what the history explains */
    public List<AssetReconciliation> notReconciled() {
        return assets.stream().filter(a -> a.status() == ReconciliationStatus.NOT_RECONCILED).toList();
    }

    /** @return the assets the history explains but whose positions the source did not report at all */
    public List<AssetReconciliation> positionsNotReported() {
        return assets.stream().filter(a -> a.status() == ReconciliationStatus.NO_POSITIONS_REPORTED).toList();
    }

    /**
     * @return the assets that do not reconcile, grouped into gaps: assets whose windows (after the day they last
     *         agreed with the source, up to the day they parted) overlap may miss the same record, as both legs of
     *         one missing trade do, and form one gap whose window is the overlap; oldest first
     */
    public List<Gap> gaps() {
        List<AssetReconciliation> open = new ArrayList<>(unexplained());
        open.sort(Comparator.comparing((AssetReconciliation a) -> a.agreedThrough().orElse(LocalDate.MIN))
                .thenComparing(a -> a.divergedOn().orElse(LocalDate.MAX)).thenComparing(AssetReconciliation::asset));
        List<Gap> out = new ArrayList<>();
        List<AssetReconciliation> current = new ArrayList<>();
        LocalDate from = LocalDate.MIN;
        LocalDate to = LocalDate.MAX;
        for (AssetReconciliation a : open) {
            LocalDate start = a.agreedThrough().orElse(LocalDate.MIN);
            LocalDate end = a.divergedOn().orElse(LocalDate.MAX);
            if (!current.isEmpty() && start.isBefore(to) && from.isBefore(end)) {
                current.add(a);
                from = start.isAfter(from) ? start : from;
                to = end.isBefore(to) ? end : to;
                continue;
            }
            if (!current.isEmpty()) {
                out.add(Gap.of(current, from, to));
            }
            current = new ArrayList<>(List.of(a));
            from = start;
            to = end;
        }
        if (!current.isEmpty()) {
            out.add(Gap.of(current, from, to));
        }
        return out;
    }

    /**
     * Assets whose difference arose in the same window: one missing record (a trade's two legs) or several.
     *
     * @param after      the missing record is after this day, when one is known
     * @param divergedOn and on or before this day, when one is known
     * @param assets     the assets, sorted by asset
     */
    public record Gap(Optional<LocalDate> after, Optional<LocalDate> divergedOn, List<AssetReconciliation> assets) {
        public Gap {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(divergedOn, "divergedOn");
            assets = assets.stream().sorted(Comparator.comparing(AssetReconciliation::asset)).toList();
        }

        static Gap of(List<AssetReconciliation> assets, LocalDate after, LocalDate divergedOn) {
            return new Gap(after.equals(LocalDate.MIN) ? Optional.empty() : Optional.of(after),
                    divergedOn.equals(LocalDate.MAX) ? Optional.empty() : Optional.of(divergedOn), assets);
        }
    }

    /** @return the assets that do not reconcile */
    public List<AssetReconciliation> unexplained() {
        return assets.stream().filter(a -> !a.reconciles()).toList();
    }
}
