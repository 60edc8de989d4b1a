package io.foliosync.connectors.schwab;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.FolioSyncVersion;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.schwab.internal.CsvSource;
import io.foliosync.connectors.schwab.internal.SchwabIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Charles Schwab through the CSV exports downloaded from schwab.com: the source {@value #SOURCE_ID}, separate
 * from the Trader API ({@link SchwabConnector}, {@code schwab}). It reads only its files and needs no
 * developer app, secret or authorization, so it keeps syncing while the API's 7-day authorization is expired,
 * and a malformed export fails only this source.
 *
 * <p>Its metadata name and every record's {@code source} stay {@code schwab}, as they were when the files
 * were the API connector's fallback, so rows stored then keep their identity.
 * <pre>{@code
 * SchwabCsvConnector csv = SchwabCsvConnector.of(SchwabCsvFallback.directory(Path.of("exports")), clock);
 * csv.authenticate();
 * List<Holding> holdings = csv.getHoldings();
 * }</pre>
 */
@API(status = INTERNAL, since = "0.1")
public final class SchwabCsvConnector extends AbstractConnector {
    /** This source's id: the CSV exports folder (or files). */
    public static final String SOURCE_ID = "schwab-csv";
    private static final ConnectorMetadata METADATA = new ConnectorMetadata(SchwabIds.SOURCE, ConnectorType.BROKER,
            FolioSyncVersion.get(), "Charles Schwab brokerage accounts from the CSV exports downloaded from "
            + "schwab.com",
            Set.of(AssetClass.STOCK, AssetClass.ETF, AssetClass.OPTION, AssetClass.MUTUAL_FUND, AssetClass.BOND,
                    AssetClass.FUTURE, AssetClass.CASH),
            false, false, Optional.empty(), Optional.empty());

    private final CsvSource csv;

    private SchwabCsvConnector(CsvSource csv, Clock clock) {
        super(clock);
        this.csv = csv;
    }

    /**
     * @param files where the exports are; must be enabled
     * @throws ConfigurationException when {@code files} is not enabled
     */
    public static SchwabCsvConnector of(SchwabCsvFallback files, Clock clock) {
        Objects.requireNonNull(files, "files");
        if (!files.enabled()) {
            throw new ConfigurationException(SchwabIds.SOURCE, "schwab.csv_fallback.enabled: false, so there is "
                    + "no CSV source to build; set it to true with a directory, holdings_path or transactions_path");
        }
        return new SchwabCsvConnector(new CsvSource(files), Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public ConnectorMetadata metadata() {
        return METADATA;
    }

    @Override
    public String sourceId() {
        return SOURCE_ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.ACCOUNTS, Capability.HOLDINGS, Capability.TRANSACTIONS);
    }

    /** @return the files this source reads */
    public SchwabCsvFallback files() {
        return csv.settings();
    }

    @Override
    protected AuthenticationResult doAuthenticate() {
        if (csv.available()) {
            return AuthenticationResult.success("importing " + csv.describe());
        }
        return AuthenticationResult.failure("none of the " + csv.describe() + " exist: download the positions "
                + "and transactions exports from schwab.com (Accounts → Positions / History → Export) there, "
                + "or fix schwab.csv_fallback");
    }

    /** The exports show only a masked account label: accounts are what the records name. */
    @Override
    protected List<Account> fetchAccounts() {
        Set<String> ids = new LinkedHashSet<>();
        csv.holdings().forEach(h -> ids.add(h.accountId()));
        csv.transactions(TransactionQuery.all()).forEach(t -> ids.add(t.accountId()));
        return ids.stream().map(id -> new Account(id, "Schwab " + id, AccountType.BROKERAGE, "USD",
                AccountStatus.UNKNOWN, Optional.empty(), SchwabIds.SOURCE)).toList();
    }

    @Override
    protected List<Holding> fetchHoldings() {
        return csv.holdings();
    }

    @Override
    protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
        return PagedResult.ofList(csv.transactions(query));
    }

    /** Checks only that the files are there: parsing them is the sync's job, and reports line and field. */
    @Override
    public HealthStatus healthCheck() {
        Instant start = clock.instant();
        try {
            return csv.available()
                    ? HealthStatus.healthy(csv.describe() + ": present", start, Duration.ZERO)
                    : HealthStatus.unhealthy(csv.describe() + ": none exist", start);
        } catch (SecurityException e) {
            return HealthStatus.unhealthy(csv.describe() + ": " + e.getMessage(), start);
        }
    }
}
