package io.foliosync.examples;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.plugins.DiscoveryReport;
import io.foliosync.plugins.PluginManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The plugin system: discover bank plugins in a directory, load one, authenticate it, and read its accounts,
 * balances and transactions. Usage: {@code PluginExample PLUGIN_DIR PLUGIN_ID STATEMENT_DIR}
 */
@API(status = INTERNAL, since = "0.1")
public final class PluginExample {
    public static void main(String[] args) {
        Path pluginDir = Path.of(args.length > 0 ? args[0] : "plugins");
        String id = args.length > 1 ? args[1] : "chase";
        String statements = args.length > 2 ? args[2] : "statements";
        try (PluginManager plugins = PluginManager.builder().pluginDirectory(pluginDir).classpathDiscovery(false).build()) {
            DiscoveryReport found = plugins.discoverPlugins(); // reads manifests only: no plugin code runs
            found.plugins().forEach(p -> System.out.println("found " + p.id() + " " + p.version() + " (" + p.name() + ")"));
            found.problems().forEach(p -> System.out.println("broken: " + p));

            BankIntegrationPlugin bank = plugins.loadPlugin(id); // its own class loader
            System.out.println(bank.authenticate(Map.of("statement_dir", statements)).message());
            for (Account account : bank.getAccounts()) {
                System.out.println(account.accountId() + " " + account.type() + " " + account.baseCurrency()
                        + bank.getBalance(account.accountId()).map(b -> " balance " + b.amount().toPlainString()).orElse(""));
                for (BankTransaction t : bank.getTransactions(account.accountId(), Optional.empty())) {
                    System.out.printf("  %s %10s %s  %s%n", t.postedDate(), t.amount().toPlainString(), t.currency(),
                            t.description());
                }
            }
            plugins.unloadPlugin(id); // logs out and closes the plugin's class loader
        }
    }
}
