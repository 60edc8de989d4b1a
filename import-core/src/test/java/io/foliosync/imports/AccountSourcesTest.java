package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.query.JobRecord;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.query.StoredTransaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The unit of sync is the account: two accounts of one provider share a namespace for their rows, but each has
 * its own job, cursor and lock, so one that fails never costs the other (or itself) a record.
 */
class AccountSourcesTest {
    @TempDir
    Path dir;
    private final TestStores open = new TestStores();

    static List<Backend> backends() {
        return TestDatabases.backends();
    }

    @AfterEach
    void tearDown() throws Exception {
        open.close();
    }

    private PortfolioStore store(Backend backend) {
        return open.store(TestDatabases.settings(backend, dir));
    }

    private ImportOrchestrator orchestrator(PortfolioStore store, FakeConnector... accounts) {
        ImportOrchestrator.Builder b = ImportOrchestrator.builder(store);
        for (FakeConnector c : accounts) {
            b.addConnector("crypto_exchanges", c);
        }
        ImportOrchestrator o = b.build();
        open.add(o);
        return o;
    }

    /** n trades of one account, a minute apart, ids unique per account. */
    private static List<Transaction> history(String account, int n) {
        List<Transaction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Tx.buy("crypto_exchanges", account + "-T" + i, i).accountId(account).build());
        }
        return out;
    }

    private static long rows(PortfolioStore store, String account) {
        return store.transactions(Optional.of("crypto_exchanges")).stream()
                .filter(t -> t.transaction().accountId().equals(account)).count();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anUnreachableAccountFailsAloneAndItsWholeHistoryArrivesWhenItIsBack(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector main = FakeConnector.account("crypto_exchanges", "kraken", "kraken");
        FakeConnector second = FakeConnector.account("crypto_exchanges", "kraken_2", "kraken_2");
        main.transactions = history("kraken", 7);
        second.transactions = history("kraken_2", 9);
        second.unreachable = DataFetchException.httpStatus("kraken_2", "POST /0/private/Balance", 503,
                "service unavailable");
        ImportOrchestrator sync = orchestrator(store, main, second);

        SyncReport first = sync.syncAll();

        assertThat(first.results()).extracting(JobResult::sourceId).containsExactly("kraken", "kraken_2");
        assertThat(first.result("kraken").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        JobResult failed = first.result("kraken_2").orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("kraken_2").contains("503"));
        assertThat(first.allSucceeded()).isFalse();
        assertThat(store.cursor("kraken")).contains(Tx.T0.plusSeconds(6 * 60));
        assertThat(store.cursor("kraken_2")).as("a failed account keeps its cursor where it was").isEmpty();
        assertThat(rows(store, "kraken")).isEqualTo(7);
        assertThat(rows(store, "kraken_2")).isZero();

        // back, and newer records arrived meanwhile at both accounts
        second.unreachable = null;
        main.transactions = history("kraken", 8);
        second.transactions = history("kraken_2", 10);
        SyncReport again = sync.syncAll();

        assertThat(again.allSucceeded()).isTrue();
        assertThat(again.result("kraken_2").orElseThrow().counts().imported()).isEqualTo(10);
        assertThat(again.result("kraken").orElseThrow().counts().imported()).isEqualTo(1);
        assertThat(rows(store, "kraken_2")).as("every record it missed").isEqualTo(10);
        assertThat(rows(store, "kraken")).isEqualTo(8);
        assertThat(store.jobs(Optional.of("kraken_2"), 10)).extracting(JobRecord::status)
                .containsExactly(JobStatus.SUCCEEDED, JobStatus.FAILED);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void refusedCredentialsFailOnlyThatAccount(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector main = FakeConnector.account("crypto_exchanges", "kraken", "kraken");
        FakeConnector revoked = FakeConnector.account("crypto_exchanges", "okx", "okx");
        main.transactions = history("kraken", 3);
        revoked.transactions = history("okx", 3);
        revoked.refuseCredentials = "the API key was refused (EAPI:Invalid key): create a new read-only key";
        ImportOrchestrator sync = ImportOrchestrator.builder(store)
                .addConnector("crypto_exchanges", main).addConnector("crypto_exchanges", revoked).build();
        open.add(sync);

        SyncReport report = sync.syncAll();

        assertThat(report.result("kraken").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        JobResult okx = report.result("okx").orElseThrow();
        assertThat(okx.status()).isEqualTo(JobStatus.FAILED);
        assertThat(okx.error()).hasValueSatisfying(e -> assertThat(e).contains("okx").contains("EAPI:Invalid key"));
        assertThat(okx.attempts()).as("refused credentials are not retried").isEqualTo(1);
        assertThat(store.cursor("okx")).isEmpty();
        assertThat(rows(store, "okx")).isZero();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aMalformedPageFailsTheAccountKeepsEarlierPagesAndTheRerunCompletesIt(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector account = FakeConnector.account("crypto_exchanges", "kraken", "kraken");
        account.transactions = history("kraken", 9); // pages of 3
        account.failOnPage = p -> p == 2 ? DataFetchException.malformed("kraken", "POST /0/private/Ledgers",
                "L-4", "amount", "expected a decimal but was 'abc'", null) : null;
        ImportOrchestrator sync = orchestrator(store, account);

        JobResult broken = sync.sync("kraken");

        assertThat(broken.status()).isEqualTo(JobStatus.FAILED);
        assertThat(broken.error()).hasValueSatisfying(e -> assertThat(e).contains("L-4").contains("amount"));
        assertThat(rows(store, "kraken")).as("the first page stays stored").isEqualTo(3);
        assertThat(store.cursor("kraken")).as("no cursor moves past a page never read").isEmpty();

        account.failOnPage = p -> null;
        JobResult rerun = sync.sync("kraken");

        assertThat(rerun.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(rerun.counts().imported()).isEqualTo(6);
        assertThat(rerun.counts().skipped()).isEqualTo(3);
        assertThat(rows(store, "kraken")).isEqualTo(9);
        assertThat(store.cursor("kraken")).contains(Tx.T0.plusSeconds(8 * 60));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void oneAccountsSyncNeverEmptiesAnotherAccountsHoldings(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector a = FakeConnector.account("crypto_exchanges", "kraken", "kraken");
        FakeConnector b = FakeConnector.account("crypto_exchanges", "kraken_2", "kraken_2");
        a.holdings = List.of(holding("kraken", "BTC", "1.5"));
        b.holdings = List.of(holding("kraken_2", "ETH", "3"));
        ImportOrchestrator sync = orchestrator(store, a, b);
        sync.syncAll();

        b.holdings = List.of(); // kraken_2 sold everything
        sync.sync("kraken_2");

        assertThat(store.latestHoldings("crypto_exchanges")).extracting(h -> h.accountId() + " " + h.symbol())
                .containsExactly("kraken BTC");
    }

    @Test
    void sourceIdsResolveAnAccountOrEveryAccountOfASection() {
        PortfolioStore store = store(Backend.SQLITE);
        ImportOrchestrator.Builder b = ImportOrchestrator.builder(store);
        b.addConnector("crypto_exchanges", FakeConnector.account("crypto_exchanges", "kraken", "kraken"));
        b.addConnector("crypto_exchanges", FakeConnector.account("crypto_exchanges", "okx", "okx"));
        b.addConnector("interactive_brokers", FakeConnector.account("ibkr", "ibkr-flex-1", "U1"));
        ImportOrchestrator o = b.build();
        open.add(o);

        assertThat(o.sourceIds("okx")).containsExactly("okx");
        assertThat(o.sourceIds("crypto_exchanges")).containsExactly("kraken", "okx");
        assertThat(o.sourceIds("interactive_brokers")).containsExactly("ibkr-flex-1");
        assertThat(o.sections()).containsExactly("crypto_exchanges", "interactive_brokers");
        assertThatThrownBy(() -> o.sourceIds("binance")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binance").hasMessageContaining("kraken, okx, ibkr-flex-1");
    }

    @Test
    void twoSourcesWithOneIdAreRefused() {
        PortfolioStore store = store(Backend.SQLITE);
        ImportOrchestrator.Builder b = ImportOrchestrator.builder(store);
        b.addConnector("crypto_exchanges", FakeConnector.account("crypto_exchanges", "kraken", "kraken"));
        assertThatThrownBy(() -> b.addConnector("crypto_exchanges",
                FakeConnector.account("crypto_exchanges", "kraken", "kraken")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'kraken'");
    }

    /**
     * The database the first release's demo wrote (committed before V3): its shared cursors are dropped, its
     * rows kept, and re-reading an account's history into it writes no duplicate.
     */
    @Test
    void theFirstReleasesDatabaseMigratesAndRereadingItsHistoryDuplicatesNothing() throws Exception {
        Path file = dir.resolve("release-0.1.0-demo.db");
        try (var in = getClass().getResourceAsStream("/fixtures/release-0.1.0-demo.db")) {
            Files.copy(in, file);
        }
        long before = count(file, "SELECT COUNT(*) FROM transactions");
        assertThat(before).isEqualTo(47);
        assertThat(count(file, "SELECT COUNT(*) FROM sync_cursors")).isEqualTo(4);

        PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(file));
        open.add(store);

        assertThat(store.cursor("crypto_exchanges")).as("the shared cursor is no account's").isEmpty();
        assertThat(store.cursor("kraken")).isEmpty();
        assertThat(store.countTransactions(Optional.empty())).isEqualTo(before);
        assertThat(count(file, "SELECT COUNT(*) FROM sync_cursors_before_v3")).isEqualTo(4);

        // the kraken account's stored history, served again by its own source: all of it is already there
        List<Transaction> kraken = store.transactions(Optional.of("crypto_exchanges")).stream()
                .map(StoredTransaction::transaction).toList();
        assertThat(kraken).hasSize(9);
        FakeConnector account = FakeConnector.account("crypto_exchanges", "kraken", "kraken");
        account.transactions = kraken;
        account.type = io.foliosync.connectors.api.ConnectorType.CRYPTO_EXCHANGE;
        ImportOrchestrator sync = orchestrator(store, account);

        JobResult reread = sync.sync("kraken");

        assertThat(reread.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(reread.counts().imported()).isZero();
        assertThat(store.countTransactions(Optional.empty())).isEqualTo(before);
        assertThat(store.cursor("kraken")).isPresent();
    }

    private static long count(Path sqlite, String sql) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + sqlite);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static io.foliosync.connectors.api.Holding holding(String account, String symbol, String qty) {
        return io.foliosync.connectors.api.Holding.builder().symbol(symbol).quantity(new java.math.BigDecimal(qty))
                .currency("USD").accountId(account).assetClass(io.foliosync.connectors.api.AssetClass.CRYPTO)
                .source("crypto_exchanges").build();
    }

    @Test
    void theListenerHearsHowLongTheRestOfAnAccountsHistoryWillTake() {
        PortfolioStore store = store(Backend.SQLITE);
        FakeConnector account = FakeConnector.account("crypto_exchanges", "kraken", "kraken");
        account.transactions = history("kraken", 6); // two pages of 3
        account.remaining = java.time.Duration.ofSeconds(42);
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImportOrchestrator sync = ImportOrchestrator.builder(store)
                .addConnector("crypto_exchanges", account)
                .listener(new ImportListener() {
                    @Override
                    public void timeLeft(String sourceId, long jobId, java.time.Duration estimate) {
                        heard.add(sourceId + " " + estimate.toSeconds());
                    }
                }).build();
        open.add(sync);

        sync.sync("kraken");

        assertThat(heard).containsExactly("kraken 42", "kraken 42");
    }

    @Test
    void aFullHistorySyncReadsFromTheBeginningAndDuplicatesNothing() {
        PortfolioStore store = store(Backend.SQLITE);
        FakeConnector account = FakeConnector.account("crypto_exchanges", "kraken", "kraken");
        account.transactions = history("kraken", 5);
        ImportOrchestrator sync = orchestrator(store, account);
        sync.sync("kraken");
        assertThat(store.cursor("kraken")).isPresent();

        SyncReport full = sync.syncAll(List.of("kraken"), SyncMode.FULL_HISTORY);

        assertThat(account.queries.get(account.queries.size() - 1).since()).as("no cursor").isEmpty();
        assertThat(full.result("kraken").orElseThrow().counts().skipped()).isEqualTo(5);
        assertThat(full.result("kraken").orElseThrow().counts().imported()).isZero();
        assertThat(rows(store, "kraken")).isEqualTo(5);
        SyncReport next = sync.syncAll(List.of("kraken"));
        assertThat(account.queries.get(account.queries.size() - 1).since()).as("incremental again")
                .contains(Tx.T0.plusSeconds(4 * 60));
        assertThat(next.allSucceeded()).isTrue();
    }
}
