package io.foliosync.imports.reconcile;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One account reconciled: every asset it reports or its history touches.
 *
 * @param namespace the data namespace ({@code source_name} of its rows: {@code crypto_exchanges}, {@code ibkr}, a
 *                  plugin id)
 * @param accountId the source's account id
 * @param assets    one result per asset, sorted by asset
 * @param checkedAt when it was checked
 */
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
     *         by an opening quantity), 0..1 with four decimals; 1 for an account with no asset
     */
    public BigDecimal dataQualityScore() {
        if (assets.isEmpty()) {
            return BigDecimal.ONE;
        }
        long ok = assets.stream().filter(AssetReconciliation::reconciles).count();
        return BigDecimal.valueOf(ok).divide(BigDecimal.valueOf(assets.size()), 4, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
    }

    /** @return whether every asset reconciles */
    public boolean reconciles() {
        return assets.stream().allMatch(AssetReconciliation::reconciles);
    }

    /** @return the assets that do not reconcile */
    public List<AssetReconciliation> unexplained() {
        return assets.stream().filter(a -> !a.reconciles()).toList();
    }
}
