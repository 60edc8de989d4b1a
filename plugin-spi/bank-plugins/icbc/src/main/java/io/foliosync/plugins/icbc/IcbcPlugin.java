package io.foliosync.plugins.icbc;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthField;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.AuthenticationType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.BankStatement;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.PluginMetadata;
import io.foliosync.connectors.api.StatementFolder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Imports ICBC (中国工商银行) personal account statement exports: CSV files with Chinese headers, in GBK or
 * UTF-8 (with or without BOM), amounts in CNY unless a currency column says otherwise.
 *
 * <p>Auth fields:
 * <ul>
 *   <li>{@code statement_dir} (required): the folder (or one file) holding the {@code .csv} exports;</li>
 *   <li>{@code encoding} (default {@code auto}): {@code auto}, {@code GBK}, {@code GB18030} or {@code UTF-8};</li>
 *   <li>{@code column_mapping} (optional): overrides of the header mapping, see {@link ColumnMapping};</li>
 *   <li>{@code account_id} (optional): the account id for files whose preamble names no card number.</li>
 * </ul>
 *
 * <p>The account id is {@code icbc-} and the last four digits of the card number (卡号) the export names.
 * ICBC gives no transaction id, so each line's source id is the documented hash of
 * {@link io.foliosync.connectors.api.StatementLineIds}.
 */
@API(status = INTERNAL, since = "0.1")
public final class IcbcPlugin implements BankIntegrationPlugin {
    static final String ID = "icbc";
    private static final PluginMetadata METADATA = new PluginMetadata(ID, "ICBC 中国工商银行", "0.1.0", "FolioSync",
            "Imports ICBC personal account statement CSV exports (GBK or UTF-8) with an adjustable column mapping",
            Set.of("CN"), Set.of(AssetClass.CASH), AuthenticationType.FILE,
            List.of(new AuthField("statement_dir", "Statement folder", false, true,
                            "The folder (or one file) holding ICBC .csv statement exports", Optional.empty()),
                    new AuthField("encoding", "File encoding", false, false,
                            "auto (UTF-8 when valid, else GBK), GBK, GB18030 or UTF-8", Optional.of("auto")),
                    new AuthField("column_mapping", "Column mapping", false, false,
                            "Overrides such as 'date=记账日期; amount=发生额; balance=余额' when ICBC changes its layout",
                            Optional.empty()),
                    new AuthField("account_id", "Account id", false, false,
                            "The account id for files that name no card number", Optional.empty())),
            Optional.of(URI.create("https://github.com/foliosync/foliosync/blob/main/docs/plugin_development.md")),
            "0.1.0", List.of());

    private final Clock clock;
    private StatementFolder statements;
    private String encoding;
    private ColumnMapping mapping;
    private Optional<String> accountOverride;

    /** Does no I/O; discovery creates plugins freely. */
    public IcbcPlugin() {
        this(Clock.systemUTC());
    }

    IcbcPlugin(Clock clock) {
        this.clock = clock;
    }

    @Override
    public PluginMetadata metadata() {
        return METADATA;
    }

    @Override
    public synchronized AuthenticationResult authenticate(Map<String, String> credentials) {
        logout();
        String dir = credentials.get("statement_dir");
        if (dir == null || dir.isBlank()) {
            return AuthenticationResult.failure("statement_dir is not set: give the folder holding your ICBC exports");
        }
        Path path = Path.of(dir.trim());
        if (!Files.isReadable(path)) {
            return AuthenticationResult.failure("statement_dir " + path + " does not exist or cannot be read");
        }
        String enc = credentials.getOrDefault("encoding", "auto").trim();
        if (!enc.equalsIgnoreCase("auto") && !Charset.isSupported(enc)) {
            return AuthenticationResult.failure("encoding '" + enc + "' is not known: use auto, GBK, GB18030 or UTF-8");
        }
        ColumnMapping m;
        try {
            m = ColumnMapping.withOverrides(credentials.get("column_mapping"));
        } catch (IllegalArgumentException e) {
            return AuthenticationResult.failure(e.getMessage());
        }
        encoding = enc.isEmpty() ? "auto" : enc;
        mapping = m;
        accountOverride = Optional.ofNullable(credentials.get("account_id")).map(String::trim).filter(s -> !s.isEmpty());
        // a file that cannot be read is skipped with a warning (takeWarnings), the others imported
        statements = StatementFolder.withWarnings(ID, path, Set.of(".csv"),
                (f, warnings) -> List.of(parseFile(f, encoding, mapping, accountOverride)));
        return AuthenticationResult.success("reading ICBC statements from " + path + " (" + statements.files().size()
                + " files)");
    }

    @Override
    public synchronized List<Account> getAccounts() {
        List<Account> out = new ArrayList<>();
        StatementFolder folder = folder("getAccounts");
        folder.statementsByAccount().forEach((id, list) -> out.add(new Account(id, "ICBC " + id.substring(ID.length() + 1),
                list.get(0).type(), list.get(0).currency(), AccountStatus.ACTIVE,
                folder.balance(id).map(Balance::amount), ID)));
        return out;
    }

    @Override
    public List<Holding> getHoldings(String accountId) {
        return List.of();
    }

    @Override
    public synchronized List<BankTransaction> getTransactions(String accountId, Optional<LocalDate> since) {
        return folder("getTransactions").transactions(accountId, since);
    }

    @Override
    public synchronized Optional<Balance> getBalance(String accountId) {
        return folder("getBalance").balance(accountId);
    }

    @Override
    public synchronized HealthStatus healthCheck() {
        Instant now = clock.instant();
        if (statements == null) {
            return HealthStatus.unhealthy("not authenticated: call authenticate() with statement_dir", now);
        }
        return statements.health(now);
    }

    @Override
    public synchronized List<DataWarning> takeWarnings() {
        return statements == null ? List.of() : statements.takeWarnings();
    }

    @Override
    public synchronized void logout() {
        statements = null;
        mapping = null;
        accountOverride = Optional.empty();
    }

    /** Parses one export with the given settings. */
    static BankStatement parseFile(Path file, String encoding, ColumnMapping mapping, Optional<String> accountOverride) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFetchException(ID, file.toString(), "cannot read the statement file: " + e.getMessage(), e);
        }
        return new IcbcCsvParser(ID, file, mapping, accountOverride).parse(IcbcCsvParser.decode(bytes, encoding));
    }

    private StatementFolder folder(String operation) {
        if (statements == null) {
            throw DataFetchException.notAuthenticated(ID, operation);
        }
        return statements;
    }
}
