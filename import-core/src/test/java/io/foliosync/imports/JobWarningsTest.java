package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.Account;
import io.foliosync.connectors.api.AccountStatus;
import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.AuthenticationType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.DataWarning;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.PluginMetadata;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.store.PortfolioStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source's warnings reach the job's result: taken after each attempt, before the plugin logs out. */
class JobWarningsTest {
    @TempDir
    Path dir;
    private final TestStores open = new TestStores();

    @AfterEach
    void tearDown() throws Exception {
        open.close();
    }

    private PortfolioStore store() {
        return open.store(TestDatabases.settings(Backend.SQLITE, dir));
    }

    private static final DataWarning SKIPPED = DataWarning.of("warn-bank", "/statements/b.qfx",
            "skipped, nothing imported from this file: investment statements are not supported");
    private static final DataWarning DROPPED = DataWarning.field("warn-bank", "/statements/a.ofx", 61,
            "LEDGERBAL.DTASOF", "'2023022812:00:00' is not an OFX date: dropped");

    @Test
    void aPluginsWarningsAreOnTheJobResultAndItsLinesAreImported() {
        WarningPlugin plugin = new WarningPlugin();
        ImportOrchestrator o = ImportOrchestrator.builder(store())
                .addPlugin(plugin, Map.of()).build();
        open.add(o);

        JobResult result = o.sync("warn-bank");

        assertThat(result.succeeded()).isTrue();
        assertThat(result.counts().imported()).isEqualTo(1);
        assertThat(result.warnings()).containsExactly(SKIPPED, DROPPED);
        assertThat(o.sync("warn-bank").warnings()).as("a new read warns again").containsExactly(SKIPPED, DROPPED);
    }

    @Test
    void aFailedJobKeepsItsWarnings() {
        FakeConnector flaky = new FakeConnector("flaky") {
            @Override
            public List<DataWarning> takeWarnings() {
                return List.of(DROPPED);
            }
        };
        flaky.transactions = List.of(Tx.dividend("flaky", 1));
        flaky.failOnPage = p -> new NetworkException("flaky", "GET /x", "connection reset", null);
        ImportOrchestrator o = ImportOrchestrator.builder(store())
                .addConnector(flaky).build();
        open.add(o);

        JobResult result = o.sync("flaky");

        assertThat(result.status()).isEqualTo(JobStatus.FAILED);
        assertThat(result.attempts()).as("the job is not retried: the next sync is its retry").isEqualTo(1);
        assertThat(result.warnings()).containsExactly(DROPPED);
    }

    @Test
    void aSourceWithoutWarningsHasNone() {
        FakeConnector quiet = new FakeConnector("quiet");
        ImportOrchestrator o = ImportOrchestrator.builder(store())
                .addConnector(quiet).build();
        open.add(o);

        assertThat(o.sync("quiet").warnings()).isEmpty();
    }

    /** A plugin that, like a statement folder, forgets its warnings at logout. */
    private static final class WarningPlugin implements BankIntegrationPlugin {
        private final List<DataWarning> pending = new ArrayList<>();

        @Override
        public PluginMetadata metadata() {
            return new PluginMetadata("warn-bank", "Warning bank", "1.0.0", "test", "statements", Set.of("US"),
                    Set.of(AssetClass.CASH), AuthenticationType.FILE, List.of(), Optional.empty(), "1.0.0", List.of());
        }

        @Override
        public synchronized AuthenticationResult authenticate(Map<String, String> credentials) {
            pending.clear();
            pending.add(SKIPPED);
            pending.add(DROPPED);
            return AuthenticationResult.success("ok");
        }

        @Override
        public List<Account> getAccounts() {
            return List.of(new Account("CHK-1", "checking", AccountType.CHECKING, "USD", AccountStatus.ACTIVE,
                    Optional.empty(), "warn-bank"));
        }

        @Override
        public List<Holding> getHoldings(String accountId) {
            return List.of();
        }

        @Override
        public List<BankTransaction> getTransactions(String accountId, Optional<LocalDate> since) {
            BigDecimal a = new BigDecimal("12.50");
            return List.of(new BankTransaction("fitid-1", accountId, LocalDate.of(2023, 2, 6), a, "USD", "line",
                    Optional.empty(), Optional.empty(), BankTransaction.typeForSign(a), Optional.empty()));
        }

        @Override
        public Optional<Balance> getBalance(String accountId) {
            return Optional.empty();
        }

        @Override
        public synchronized List<DataWarning> takeWarnings() {
            List<DataWarning> out = List.copyOf(pending);
            pending.clear();
            return out;
        }

        @Override
        public HealthStatus healthCheck() {
            return HealthStatus.healthy("ok", Instant.EPOCH, Duration.ZERO);
        }

        @Override
        public synchronized void logout() {
            pending.clear();
        }
    }
}
