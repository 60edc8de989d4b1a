package io.foliosync.plugins.template;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthField;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.AuthenticationType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.PluginMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The smallest complete bank plugin: copy this module to write your own (see docs/plugin_development.md).
 *
 * <p>It imports {@code *.csv} files from a folder, one file per account (the file name without
 * {@code .csv} is the account), in the format {@link SimpleCsv} describes.
 *
 * <p>What every plugin needs, and where it is here:
 * <ol>
 *   <li>a public class implementing {@link BankIntegrationPlugin} with a public no-argument constructor that
 *       does no I/O (this class);</li>
 *   <li>{@link #metadata()} equal to {@code META-INF/foliosync/plugin.yaml};</li>
 *   <li>the class name in {@code META-INF/services/io.foliosync.connectors.api.BankIntegrationPlugin};</li>
 *   <li>{@link #authenticate(Map)} that keeps the settings and answers with a result instead of throwing;</li>
 *   <li>data methods that throw {@link DataFetchException} naming the file, line and field when the data is
 *       wrong, and never return null.</li>
 * </ol>
 *
 * <p>Auth fields: {@code statement_dir} (required) and {@code currency} (ISO 4217, default {@code USD}).
 */
@API(status = INTERNAL, since = "0.1")
public final class TemplatePlugin implements BankIntegrationPlugin {
    static final String ID = "template";
    private static final PluginMetadata METADATA = new PluginMetadata(ID, "Template bank", "0.1.0", "FolioSync",
            "Imports a simple CSV (date,description,amount,balance); copy it to write your own plugin",
            Set.of("US"), Set.of(AssetClass.CASH), AuthenticationType.FILE,
            List.of(new AuthField("statement_dir", "Statement folder", false, true,
                            "The folder holding one .csv file per account", Optional.empty()),
                    new AuthField("currency", "Currency", false, false,
                            "The ISO 4217 code of the amounts", Optional.of("USD"))),
            Optional.empty(), "0.1.0", List.of());

    private final Clock clock;
    private Path folder;
    private String currency;

    public TemplatePlugin() {
        this(Clock.systemUTC());
    }

    TemplatePlugin(Clock clock) {
        this.clock = clock;
    }

    @Override
    public PluginMetadata metadata() {
        return METADATA;
    }

    @Override
    public synchronized AuthenticationResult authenticate(Map<String, String> credentials) {
        logout();
        String dir = credentials.getOrDefault("statement_dir", "");
        String cur = credentials.getOrDefault("currency", "USD").strip().toUpperCase(Locale.ROOT);
        if (dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
            return AuthenticationResult.failure("statement_dir must name an existing folder, not '" + dir + "'");
        }
        if (!cur.matches("[A-Z]{3}")) {
            return AuthenticationResult.failure("currency must be an ISO 4217 code such as USD, not '" + cur + "'");
        }
        folder = Path.of(dir);
        currency = cur;
        return AuthenticationResult.success("reading " + folder);
    }

    @Override
    public synchronized List<Account> getAccounts() {
        List<Account> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : files("getAccounts").entrySet()) {
            Optional<Balance> balance = getBalance(e.getKey());
            out.add(new Account(e.getKey(), e.getValue().getFileName().toString(), AccountType.CHECKING, currency,
                    AccountStatus.ACTIVE, balance.map(Balance::amount), ID));
        }
        return out;
    }

    @Override
    public List<Holding> getHoldings(String accountId) {
        return List.of(); // a bank account holds cash only
    }

    @Override
    public synchronized List<BankTransaction> getTransactions(String accountId, Optional<LocalDate> since) {
        Path file = files("getTransactions").get(accountId);
        if (file == null) {
            return List.of();
        }
        List<BankTransaction> out = new ArrayList<>(SimpleCsv.read(ID, file, accountId, currency));
        out.removeIf(t -> since.isPresent() && t.postedDate().isBefore(since.get()));
        out.sort(Comparator.comparing(BankTransaction::postedDate)); // oldest first, as the interface asks
        return out;
    }

    @Override
    public synchronized Optional<Balance> getBalance(String accountId) {
        List<BankTransaction> lines = getTransactions(accountId, Optional.empty());
        for (int i = lines.size() - 1; i >= 0; i--) {
            BankTransaction t = lines.get(i);
            if (t.balanceAfter().isPresent()) {
                return Optional.of(new Balance(accountId, t.balanceAfter().get(), Optional.empty(), currency,
                        t.postedDate().atStartOfDay(ZoneOffset.UTC).toInstant()));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized HealthStatus healthCheck() {
        if (folder == null || !Files.isDirectory(folder)) {
            return HealthStatus.unhealthy("no readable statement folder: authenticate first", clock.instant());
        }
        return HealthStatus.healthy("statement folder " + folder + " is readable", clock.instant(), Duration.ZERO);
    }

    @Override
    public synchronized void logout() {
        folder = null;
        currency = null;
    }

    /** @return the statement files by account id ({@code template-} and the file name without .csv) */
    private Map<String, Path> files(String operation) {
        if (folder == null) {
            throw DataFetchException.notAuthenticated(ID, operation);
        }
        Map<String, Path> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")).sorted()
                    .forEach(p -> out.put(ID + "-" + p.getFileName().toString().replaceFirst("(?i)\\.csv$", ""), p));
        } catch (IOException e) {
            throw new DataFetchException(ID, folder.toString(), "cannot list the statement folder: " + e.getMessage(), e);
        }
        return out;
    }
}
