package io.foliosync.plugins.chase;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.DataWarning;
import java.util.Map;

/**
 * Run in a child JVM with a small heap by {@link LargeStatementTest}: reads a statement folder through the Chase
 * plugin and prints the accounts and warnings. An {@code OutOfMemoryError} ends it with a non-zero status.
 */
public final class LargeStatementMain {
    private LargeStatementMain() {
    }

    public static void main(String[] args) {
        ChasePlugin plugin = new ChasePlugin();
        AuthenticationResult auth = plugin.authenticate(Map.of("statement_dir", args[0]));
        if (!auth.success()) {
            System.out.println("auth failed: " + auth.message());
            System.exit(2);
        }
        plugin.getAccounts().forEach(a -> System.out.println("account " + a.accountId() + " "
                + plugin.getTransactions(a.accountId(), java.util.Optional.empty()).size()));
        for (DataWarning w : plugin.takeWarnings()) {
            System.out.println("warning " + w.describe());
        }
    }
}
