package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * An account's balance at one moment, as a bank plugin reports it.
 *
 * @param accountId the account
 * @param amount    the ledger balance; negative for an overdrawn account or a credit card's debt
 * @param available the available balance, when the statement states one
 * @param currency  the balance's currency
 * @param asOf      the moment the balance was valid
 */
@API(status = STABLE, since = "0.1")
public record Balance(String accountId, BigDecimal amount, Optional<BigDecimal> available, String currency,
                      Instant asOf) {
    private static final String R = "Balance";

    public Balance {
        Fields.requiredText(R, "accountId", accountId);
        Fields.required(R, "amount", amount);
        Fields.optional(R, "available", available);
        Fields.currency(R, "currency", currency);
        Fields.required(R, "asOf", asOf);
    }
}
