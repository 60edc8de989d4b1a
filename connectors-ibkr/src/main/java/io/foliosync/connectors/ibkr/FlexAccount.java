package io.foliosync.connectors.ibkr;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * An account as a Flex statement's {@code <AccountInformation>} describes it.
 *
 * @param accountId    the IBKR account id, such as {@code U1234567}
 * @param baseCurrency the account's base currency (ISO-4217)
 * @param alias        the user's alias for the account, when set
 * @param accountType  IBKR's account type text ({@code Individual}, ...), when given
 */
@API(status = INTERNAL, since = "0.1")
public record FlexAccount(String accountId, String baseCurrency, Optional<String> alias,
                          Optional<String> accountType) {
    public FlexAccount {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(baseCurrency, "baseCurrency");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(accountType, "accountType");
    }
}
