package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The base of a bank plugin that imports the statement files a user downloads into a folder (or names one file of):
 * a {@code statement_dir} setting, a {@link StatementFolder} over it, one account per account id the statements
 * name, cash only. A plugin says how it reads its own settings and opens the folder ({@link #open}: which files,
 * which parser, what size limit) and how an account is described ({@link #account}); this class does the rest, the
 * same way for every such plugin: checking {@code statement_dir}, refusing data calls before
 * {@link #authenticate(Map)}, transactions and balances from the statements, warnings, health and logout.
 *
 * <p>Subclasses keep the contract of {@link BankIntegrationPlugin}: a public no-argument constructor that does no
 * I/O, and {@link #authenticate(Map)} answering a bad setting with a failed result rather than an exception (throw
 * {@link IllegalArgumentException} from {@link #open} with the message for the user).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class StatementFolderPlugin implements BankIntegrationPlugin {
    /** The setting naming the folder, or one file, of statements. */
    public static final String STATEMENT_DIR = "statement_dir";

    private final Clock clock;
    private final String label;
    private final String holds;
    private StatementFolder statements;

    /**
     * @param clock what health checks are stamped with
     * @param label the bank's short name in messages ({@code "Chase"}: "reading Chase statements from ...")
     * @param holds what the folder holds, for the message when it is not set ({@code "Chase downloads"})
     */
    protected StatementFolderPlugin(Clock clock, String label, String holds) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.label = Objects.requireNonNull(label, "label");
        this.holds = Objects.requireNonNull(holds, "holds");
    }

    /**
     * Reads the plugin's own settings and opens its statements at {@code location}. Does not parse yet: the folder
     * is parsed on the first data call.
     *
     * @param location the folder or file {@code statement_dir} names; it exists and is readable
     * @param settings every setting, {@code statement_dir} included
     * @throws IllegalArgumentException with the message for the user when a setting is wrong
     */
    protected abstract StatementFolder open(Path location, Map<String, String> settings);

    /**
     * @param statements the account's statements, in file order; at least one
     * @param balance    the newest balance they state
     * @return the account described by its statements
     */
    protected abstract Account account(String accountId, List<BankStatement> statements, Optional<Balance> balance);

    /** Forgets the plugin's own settings: called at {@link #logout()} and when {@link #open} refused them. */
    protected void forget() {
    }

    @Override
    public final synchronized AuthenticationResult authenticate(Map<String, String> credentials) {
        logout();
        String dir = credentials.get(STATEMENT_DIR);
        if (dir == null || dir.isBlank()) {
            return AuthenticationResult.failure(STATEMENT_DIR + " is not set: give the folder holding your " + holds);
        }
        Path path = Path.of(dir.trim());
        if (!Files.isReadable(path)) {
            return AuthenticationResult.failure(STATEMENT_DIR + " " + path + " does not exist or cannot be read");
        }
        StatementFolder opened;
        try {
            opened = open(path, credentials);
        } catch (IllegalArgumentException e) {
            forget();
            return AuthenticationResult.failure(e.getMessage());
        }
        statements = opened;
        return AuthenticationResult.success("reading " + label + " statements from " + path + " ("
                + opened.files().size() + " files)");
    }

    @Override
    public final synchronized List<Account> getAccounts() {
        StatementFolder folder = folder("getAccounts");
        List<Account> out = new ArrayList<>();
        folder.statementsByAccount().forEach((id, list) -> out.add(account(id, list, folder.balance(id))));
        return out;
    }

    /** @return none: a bank account holds cash, which {@link #getHoldingsWithBalance} adds from the balance */
    @Override
    public List<Holding> getHoldings(String accountId) {
        return List.of();
    }

    @Override
    public final synchronized List<BankTransaction> getTransactions(String accountId, Optional<LocalDate> since) {
        return folder("getTransactions").transactions(accountId, since);
    }

    @Override
    public final synchronized Optional<Balance> getBalance(String accountId) {
        return folder("getBalance").balance(accountId);
    }

    @Override
    public final synchronized List<DataWarning> takeWarnings() {
        return statements == null ? List.of() : statements.takeWarnings();
    }

    @Override
    public final synchronized HealthStatus healthCheck() {
        if (statements == null) {
            return HealthStatus.unhealthy("not authenticated: call authenticate() with " + STATEMENT_DIR,
                    clock.instant());
        }
        return statements.health(clock.instant());
    }

    @Override
    public final synchronized void logout() {
        statements = null;
        forget();
    }

    private StatementFolder folder(String operation) {
        if (statements == null) {
            throw DataFetchException.notAuthenticated(metadata().id(), operation);
        }
        return statements;
    }
}
