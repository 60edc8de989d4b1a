package io.foliosync.imports.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.FakeConnector;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.TestStores;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.store.PortfolioStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reconciliation after each succeeded sync, stored and read back, on SQLite and PostgreSQL. */
class ReconciliationStoreTest {
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
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

    private ImportOrchestrator orchestrator(PortfolioStore store, FakeConnector connector) {
        ImportOrchestrator o = ImportOrchestrator.builder(store).retries(false, 0, Duration.ZERO)
                .addConnector(connector).build();
        open.add(o);
        return o;
    }

    private static Transaction trade(TransactionType type, String id, int day, String symbol, String qty,
                                     String amount, String fee, String feeCurrency) {
        return Transaction.builder().date(T0.plusSeconds(86_400L * day)).symbol(symbol).type(type)
                .quantity(new BigDecimal(qty)).amount(new BigDecimal(amount)).currency("USDT")
                .price(new BigDecimal(amount).divide(new BigDecimal(qty)))
                .fees(new BigDecimal(fee)).feeCurrency(feeCurrency).sourceId(id).accountId("ACC-1")
                .source("kraken").build();
    }

    private static Holding holding(String symbol, String qty) {
        return Holding.builder().symbol(symbol).quantity(new BigDecimal(qty)).currency("USD").accountId("ACC-1")
                .assetClass(AssetClass.CRYPTO).source("kraken").build();
    }

    private static FakeConnector exchange(boolean leaveOutATrade) {
        FakeConnector c = new FakeConnector("kraken");
        c.type = ConnectorType.CRYPTO_EXCHANGE;
        List<Transaction> txs = new ArrayList<>(List.of(
                Transaction.builder().date(T0).symbol("USDT").type(TransactionType.DEPOSIT)
                        .quantity(new BigDecimal("1000")).amount(new BigDecimal("1000")).currency("USDT")
                        .sourceId("d1").accountId("ACC-1").source("kraken").build(),
                trade(TransactionType.BUY, "t1", 1, "BTC", "0.01", "600", "0.6", "USDT"),
                trade(TransactionType.BUY, "t2", 2, "BTC", "0.005", "300", "0.3", "USDT"),
                trade(TransactionType.SELL, "t3", 3, "BTC", "0.002", "130", "0.13", "USDT")));
        if (leaveOutATrade) {
            txs.remove(2);
        }
        c.transactions = txs;
        // 1000 - 600.6 - 300.3 + 129.87
        c.holdings = List.of(holding("BTC", "0.013"), holding("USDT", "228.97"));
        return c;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void historyThatReconcilesExactlyMatchesAndScoresOne(Backend backend) {
        PortfolioStore store = store(backend);
        JobResult result = orchestrator(store, exchange(false)).sync("kraken");

        assertThat(result.succeeded()).isTrue();
        assertThat(result.reconciliations()).singleElement().satisfies(r -> {
            assertThat(r.accountId()).isEqualTo("ACC-1");
            assertThat(r.assets()).extracting(AssetReconciliation::asset).containsExactly("BTC", "USDT");
            assertThat(r.assets()).allSatisfy(a -> assertThat(a.status()).isEqualTo(ReconciliationStatus.MATCHES));
        });
        assertThat(result.unreconciled()).isEmpty();
        assertThat(store.dataQualityScore("kraken", "ACC-1")).hasValueSatisfying(s ->
                assertThat(s).isEqualByComparingTo("1"));
        assertThat(store.reconciliations(Optional.of("kraken"))).singleElement().satisfies(r -> {
            assertThat(r.assets()).hasSize(2);
            assertThat(r.assets().get(0).derived()).isEqualByComparingTo("0.013");
            assertThat(r.assets().get(0).status()).isEqualTo(ReconciliationStatus.MATCHES);
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void historyWithOneTradeLeftOutIsStoredAsUnexplainedForThatAssetAndAmount(Backend backend) {
        PortfolioStore store = store(backend);
        JobResult result = orchestrator(store, exchange(true)).sync("kraken");

        assertThat(result.succeeded()).isTrue();
        AccountReconciliation r = store.reconciliations(Optional.empty()).get(0);
        assertThat(r.unexplained()).extracting(AssetReconciliation::asset).containsExactly("BTC", "USDT");
        AssetReconciliation btc = r.assets().get(0);
        assertThat(btc.difference()).isEqualByComparingTo("0.005");
        assertThat(btc.reported()).isEqualByComparingTo("0.013");
        assertThat(btc.derived()).isEqualByComparingTo("0.008");
        assertThat(btc.divergedOn()).isPresent();
        assertThat(r.assets().get(1).difference()).isEqualByComparingTo("-300.3"); // the trade's cash leg and fee
        assertThat(store.dataQualityScore("kraken", "ACC-1")).hasValueSatisfying(s ->
                assertThat(s).isEqualByComparingTo("0"));
        assertThat(result.unreconciled()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void latestCheckReplacesTheEarlierOneWhenTheGapIsFilled(Backend backend) throws Exception {
        PortfolioStore store = store(backend);
        FakeConnector source = exchange(true);
        ImportOrchestrator sync = orchestrator(store, source);
        sync.sync("kraken");
        Thread.sleep(5); // a later checked_at
        source.transactions = exchange(false).transactions;
        source.ignoreSince = true;
        JobResult second = sync.sync("kraken");

        assertThat(second.reconciliations()).singleElement().satisfies(r -> assertThat(r.reconciles()).isTrue());
        assertThat(store.reconciliations(Optional.of("kraken"))).singleElement()
                .satisfies(r -> assertThat(r.reconciles()).isTrue());
        assertThat(store.dataQualityScore("kraken", "ACC-1")).hasValueSatisfying(s ->
                assertThat(s).isEqualByComparingTo("1"));
    }
}
