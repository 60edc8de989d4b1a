package io.foliosync.plugins.icbc;

import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankTransaction;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What one statement file says about one account. */
record Statement(Path file, String accountId, AccountType type, String currency, List<BankTransaction> transactions,
                 Optional<Balance> balance) {
    Statement {
        transactions = List.copyOf(transactions);
    }
}
