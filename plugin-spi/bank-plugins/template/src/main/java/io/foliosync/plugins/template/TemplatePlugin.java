package io.foliosync.plugins.template;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthField;
import io.foliosync.connectors.api.AuthenticationType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankStatement;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.PluginMetadata;
import io.foliosync.connectors.api.StatementFolder;
import io.foliosync.connectors.api.StatementFolderPlugin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The smallest complete bank plugin: copy this module to write your own (see docs/plugin_development.md).
 *
 * <p>It imports {@code *.csv} files from a folder, one file per account (the file name without
 * {@code .csv} is the account), in the format {@link SimpleCsv} describes.
 *
 * <p>What every plugin needs, and where it is here:
 * <ol>
 *   <li>a public class implementing {@link io.foliosync.connectors.api.BankIntegrationPlugin} with a public
 *       no-argument constructor that does no I/O (this class); a plugin that reads statement files extends
 *       {@link StatementFolderPlugin}, which checks {@code statement_dir}, refuses data calls before authentication
 *       and serves transactions, balances, warnings and health from the files;</li>
 *   <li>{@link #metadata()} equal to {@code META-INF/foliosync/plugin.yaml};</li>
 *   <li>the class name in {@code META-INF/services/io.foliosync.connectors.api.BankIntegrationPlugin};</li>
 *   <li>{@link #open} that reads the plugin's own settings, refusing a bad one with an
 *       {@link IllegalArgumentException} whose message the user sees, and says how a file is parsed;</li>
 *   <li>a parser that throws {@link DataFetchException} naming the file, line and field when the data is
 *       wrong, and never returns null.</li>
 * </ol>
 *
 * <p>Auth fields: {@code statement_dir} (required) and {@code currency} (ISO 4217, default {@code USD}).
 */
@API(status = INTERNAL, since = "0.1")
public final class TemplatePlugin extends StatementFolderPlugin {
    static final String ID = "template";
    private static final PluginMetadata METADATA = new PluginMetadata(ID, "Template bank", "0.1.0", "FolioSync",
            "Imports a simple CSV (date,description,amount,balance); copy it to write your own plugin",
            Set.of("US"), Set.of(AssetClass.CASH), AuthenticationType.FILE,
            List.of(new AuthField("statement_dir", "Statement folder", false, true,
                            "The folder holding one .csv file per account", Optional.empty()),
                    new AuthField("currency", "Currency", false, false,
                            "The ISO 4217 code of the amounts", Optional.of("USD"))),
            Optional.empty(), "0.1.0", List.of());

    public TemplatePlugin() {
        this(Clock.systemUTC());
    }

    TemplatePlugin(Clock clock) {
        super(clock, "template", "statement .csv files");
    }

    @Override
    public PluginMetadata metadata() {
        return METADATA;
    }

    @Override
    protected StatementFolder open(Path location, Map<String, String> settings) {
        String currency = settings.getOrDefault("currency", "USD").strip().toUpperCase(Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code such as USD, not '" + currency + "'");
        }
        return StatementFolder.of(ID, location, Set.of(".csv"), file -> List.of(statement(file, currency)));
    }

    @Override
    protected Account account(String accountId, List<BankStatement> statements, Optional<Balance> balance) {
        BankStatement statement = statements.get(0);
        return new Account(accountId, statement.file().getFileName().toString(), AccountType.CHECKING,
                statement.currency(), AccountStatus.ACTIVE, balance.map(Balance::amount), ID);
    }

    /**
     * @return the file as one statement of the account the file name names ({@code template-} and the name without
     *         .csv), its balance the running balance of its latest line that has one
     */
    static BankStatement statement(Path file, String currency) {
        String accountId = ID + "-" + file.getFileName().toString().replaceFirst("(?i)\\.csv$", "");
        List<BankTransaction> lines = SimpleCsv.read(ID, file, accountId, currency);
        Optional<Balance> balance = lines.stream().sorted(Comparator.comparing(BankTransaction::postedDate))
                .filter(t -> t.balanceAfter().isPresent()).reduce((earlier, later) -> later)
                .map(t -> new Balance(accountId, t.balanceAfter().get(), Optional.empty(), currency,
                        t.postedDate().atStartOfDay(ZoneOffset.UTC).toInstant()));
        return new BankStatement(file, accountId, AccountType.CHECKING, currency, lines, balance);
    }
}
