package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.math.BigDecimal;
import org.apiguardian.api.API;

/**
 * The exchange rate a source reported with a holding, from the holding's currency to the account's base currency
 * (IBKR's ledger {@code exchangerate}, Flex's {@code fxRateToBase}), as of the holding's
 * {@link Holding#priceAsOf()}. Valuation weighs it against market-data rates by freshness.
 *
 * @param from the holding's currency
 * @param to   the currency one unit of {@code from} is worth {@code rate} of
 * @param rate positive
 */
@API(status = STABLE, since = "0.1")
public record ReportedFxRate(String from, String to, BigDecimal rate) {
    private static final String R = "ReportedFxRate";

    public ReportedFxRate {
        Fields.currency(R, "from", from);
        Fields.currency(R, "to", to);
        Fields.required(R, "rate", rate);
        if (rate.signum() <= 0) {
            throw new IllegalArgumentException(R + ".rate must be positive but was " + rate.toPlainString());
        }
    }
}
