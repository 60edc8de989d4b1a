package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.AssetClass;
import java.math.BigDecimal;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The tolerance per asset class: crypto dust, fiat rounding, fractional shares.
 *
 * @param crypto     {@link AssetClass#CRYPTO}; default 1e-8 absolute or 1e-8 relative (exchanges round balances
 *                   and fees to their own precision)
 * @param fiat       {@link AssetClass#CASH} and {@link AssetClass#FOREX}; default 0.01
 * @param securities every other class (stocks, ETFs, funds, bonds, options, futures); default 1e-6
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ReconciliationTolerances(Tolerance crypto, Tolerance fiat, Tolerance securities) {
    public ReconciliationTolerances {
        Objects.requireNonNull(crypto, "crypto");
        Objects.requireNonNull(fiat, "fiat");
        Objects.requireNonNull(securities, "securities");
    }

    public static ReconciliationTolerances defaults() {
        return new ReconciliationTolerances(new Tolerance(new BigDecimal("1e-8"), new BigDecimal("1e-8")),
                Tolerance.absolute("0.01"), Tolerance.absolute("0.000001"));
    }

    public Tolerance of(AssetClass assetClass) {
        return switch (assetClass) {
            case CRYPTO -> crypto;
            case CASH, FOREX -> fiat;
            default -> securities;
        };
    }
}
