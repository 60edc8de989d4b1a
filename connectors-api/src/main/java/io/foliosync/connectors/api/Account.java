package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.math.BigDecimal;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * An account at a source.
 *
 * @param accountId    the source's account id (Schwab: the account hash, never the plain number)
 * @param name         a display name; never null, may repeat the id
 * @param type         what kind of account it is
 * @param baseCurrency the account's base currency
 * @param status       whether it is usable
 * @param balance      the total or cash balance in the base currency, when the source reports one
 * @param source       the connector or plugin id that reported it
 */
@API(status = STABLE, since = "0.1")
public record Account(String accountId, String name, AccountType type, String baseCurrency,
                      AccountStatus status, Optional<BigDecimal> balance, String source) {
    private static final String R = "Account";

    public Account {
        Fields.requiredText(R, "accountId", accountId);
        Fields.required(R, "name", name);
        Fields.required(R, "type", type);
        Fields.currency(R, "baseCurrency", baseCurrency);
        Fields.required(R, "status", status);
        Fields.optional(R, "balance", balance);
        Fields.requiredText(R, "source", source);
    }
}
