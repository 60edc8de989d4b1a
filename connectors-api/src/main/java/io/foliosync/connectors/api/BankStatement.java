package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What one statement file says about one account, as a file-based bank plugin parses it.
 *
 * @param file         the statement file
 * @param accountId    the account it covers
 * @param type         the account's kind
 * @param currency     the account's currency
 * @param transactions its lines, in file order
 * @param balance      the balance it states or implies, when it has one
 */
@API(status = STABLE, since = "0.1")
public record BankStatement(Path file, String accountId, AccountType type, String currency,
                            List<BankTransaction> transactions, Optional<Balance> balance) {
    private static final String R = "BankStatement";

    public BankStatement {
        Fields.required(R, "file", file);
        Fields.requiredText(R, "accountId", accountId);
        Fields.required(R, "type", type);
        Fields.currency(R, "currency", currency);
        transactions = List.copyOf(Fields.required(R, "transactions", transactions));
        Fields.optional(R, "balance", balance);
    }
}
