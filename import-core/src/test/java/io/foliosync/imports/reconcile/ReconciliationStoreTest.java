package io.foliosync.imports.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.FakeConnector;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.SyncReport;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.TestStores;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.query.HoldingSnapshot;
import io.foliosync.imports.store.PortfolioStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        ImportOrchestrator o = ImportOrchestrator.builder(store)
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

    /**
     * Issue 21, "absent is not zero": a statement that does not report positions (a Flex statement without Open
     * Positions) leaves the account at "no positions reported", never compared with 0 and never "does not
     * reconcile"; it was reconciled against the reported positions before, and is again once they are reported.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void aSourceThatDoesNotReportPositionsLeavesNoPositionsReportedNotAQuantityOfZero(Backend backend) {
        PortfolioStore store = store(backend);
        List<Transaction> history = List.of(Transaction.builder().date(T0).symbol("AAPL").type(TransactionType.BUY)
                .quantity(new BigDecimal("10")).amount(new BigDecimal("1500")).price(new BigDecimal("150"))
                .currency("USD").sourceId("t1").accountId("ACC-1").source("ibkr").build());
        Holding aapl = Holding.builder().symbol("AAPL").quantity(new BigDecimal("10")).currency("USD")
                .accountId("ACC-1").assetClass(AssetClass.STOCK).source("ibkr").build();
        Holding cash = Holding.builder().symbol("USD").quantity(new BigDecimal("250.5")).currency("USD")
                .accountId("ACC-1").assetClass(AssetClass.CASH).source("ibkr").build();

        // 1. the positions were reported: AAPL matches its history
        FakeConnector reported = broker(history, List.of(aapl, cash), Set.of());
        assertThat(orchestrator(store, reported).sync("ibkr").reconciliations()).singleElement()
                .satisfies(r -> assertThat(r.assets()).extracting(AssetReconciliation::status)
                        .containsExactly(ReconciliationStatus.MATCHES, ReconciliationStatus.NOT_RECONCILED));

        // 2. the next statement has cash but no positions: not "AAPL is 0"
        JobResult unreported = orchestrator(store, broker(history, List.of(cash), Set.of("ACC-1"))).sync("ibkr");
        assertThat(unreported.unreconciled()).isEmpty();
        for (AccountReconciliation r : List.of(unreported.reconciliations().get(0),
                store.reconciliations(Optional.of("ibkr")).get(0))) {
            assertThat(r.reconciles()).isTrue();
            assertThat(r.assets()).extracting(AssetReconciliation::asset, AssetReconciliation::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("AAPL", ReconciliationStatus.NO_POSITIONS_REPORTED),
                            org.assertj.core.groups.Tuple.tuple("USD", ReconciliationStatus.NOT_RECONCILED));
            AssetReconciliation a = r.assets().get(0);
            assertThat(a.reportedQuantity()).isEmpty();
            assertThat(a.reportedDifference()).isEmpty();
            assertThat(a.derived()).isEqualByComparingTo("10");
            assertThat(r.dataQualityScore()).isEqualByComparingTo("1"); // neither for nor against
        }
        List<HoldingSnapshot> snapshots = store.holdingSnapshots("ibkr", "ACC-1");
        assertThat(snapshots).extracting(HoldingSnapshot::positionsReported).containsExactly(true, false);
        // the cash it did report is still the account's latest holding
        assertThat(store.latestHoldings("ibkr")).extracting(Holding::symbol).containsExactly("USD");

        // 3. the same statement again writes no new snapshot; 4. positions reported again: checked again
        orchestrator(store, broker(history, List.of(cash), Set.of("ACC-1"))).sync("ibkr");
        assertThat(store.holdingSnapshots("ibkr", "ACC-1")).hasSize(2);
        assertThat(orchestrator(store, broker(history, List.of(aapl, cash), Set.of())).sync("ibkr").reconciliations()
                .get(0).assets().get(0).status()).isEqualTo(ReconciliationStatus.MATCHES);
    }

    private static FakeConnector broker(List<Transaction> history, List<Holding> holdings, Set<String> unreported) {
        FakeConnector c = new FakeConnector("ibkr");
        c.type = ConnectorType.BROKER;
        c.accountId = "ACC-1";
        c.transactions = history;
        c.holdings = holdings;
        c.accountsWithoutPositions = unreported;
        return c;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void brokerCashIsStoredAsNotReconciledAndLeftOutOfTheScore(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector broker = new FakeConnector("ibkr");
        broker.type = ConnectorType.BROKER;
        broker.accountId = "ACC-1";
        broker.transactions = List.of(Transaction.builder().date(T0).symbol("AAPL").type(TransactionType.BUY)
                .quantity(new BigDecimal("10")).amount(new BigDecimal("1500")).price(new BigDecimal("150"))
                .currency("USD").sourceId("t1").accountId("ACC-1").source("ibkr").build());
        broker.holdings = List.of(
                Holding.builder().symbol("AAPL").quantity(new BigDecimal("10")).currency("USD").accountId("ACC-1")
                        .assetClass(AssetClass.STOCK).source("ibkr").build(),
                Holding.builder().symbol("USD").quantity(new BigDecimal("250.5")).currency("USD")
                        .accountId("ACC-1").assetClass(AssetClass.CASH).source("ibkr").build());
        JobResult result = orchestrator(store, broker).sync("ibkr");

        assertThat(result.succeeded()).isTrue();
        assertThat(result.unreconciled()).isEmpty();
        AccountReconciliation stored = store.reconciliations(Optional.empty()).get(0);
        assertThat(stored.assets()).extracting(AssetReconciliation::asset, AssetReconciliation::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("AAPL", ReconciliationStatus.MATCHES),
                        org.assertj.core.groups.Tuple.tuple("USD", ReconciliationStatus.NOT_RECONCILED));
        assertThat(stored.notReconciled().get(0).reported()).isEqualByComparingTo("250.5");
        assertThat(stored.notReconciled().get(0).derived()).isEqualByComparingTo("-1500");
        assertThat(store.dataQualityScore(stored.namespace(), "ACC-1")).hasValueSatisfying(s ->
                assertThat(s).isEqualByComparingTo("1"));
    }

    /** A statement plugin whose lines carry no running balance (as OFX), and which states the account's balance. */
    private static final class StatementPlugin implements io.foliosync.connectors.api.BankIntegrationPlugin {
        volatile List<io.foliosync.connectors.api.BankTransaction> lines = List.of();
        volatile BigDecimal balance;
        volatile Instant balanceAsOf;

        @Override
        public io.foliosync.connectors.api.PluginMetadata metadata() {
            return new io.foliosync.connectors.api.PluginMetadata("stmt-bank", "Statement bank", "1.0.0", "test",
                    "statements", java.util.Set.of("US"), java.util.Set.of(AssetClass.CASH),
                    io.foliosync.connectors.api.AuthenticationType.FILE, List.of(), Optional.empty(), "1.0.0",
                    List.of());
        }

        @Override
        public io.foliosync.connectors.api.AuthenticationResult authenticate(java.util.Map<String, String> c) {
            return io.foliosync.connectors.api.AuthenticationResult.success("ok");
        }

        @Override
        public List<io.foliosync.connectors.api.Account> getAccounts() {
            return List.of(new io.foliosync.connectors.api.Account("CHK-1", "checking",
                    io.foliosync.connectors.api.AccountType.CHECKING, "USD",
                    io.foliosync.connectors.api.AccountStatus.ACTIVE, Optional.empty(), "stmt-bank"));
        }

        @Override
        public List<Holding> getHoldings(String accountId) {
            return List.of();
        }

        @Override
        public List<io.foliosync.connectors.api.BankTransaction> getTransactions(String accountId,
                                                                                 Optional<java.time.LocalDate> since) {
            return lines;
        }

        @Override
        public Optional<io.foliosync.connectors.api.Balance> getBalance(String accountId) {
            return Optional.ofNullable(balance).map(b -> new io.foliosync.connectors.api.Balance(accountId, b,
                    Optional.empty(), "USD", balanceAsOf));
        }

        @Override
        public io.foliosync.connectors.api.HealthStatus healthCheck() {
            return io.foliosync.connectors.api.HealthStatus.healthy("ok", T0, Duration.ZERO);
        }

        @Override
        public void logout() {
        }
    }

    private static io.foliosync.connectors.api.BankTransaction statementLine(String id, int day, String amount) {
        BigDecimal a = new BigDecimal(amount);
        return new io.foliosync.connectors.api.BankTransaction(id, "CHK-1", java.time.LocalDate.of(2024, 3, 1)
                .plusDays(day), a, "USD", "line " + id, Optional.empty(), Optional.empty(),
                io.foliosync.connectors.api.BankTransaction.typeForSign(a), Optional.empty());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void pluginBalanceIsStoredAndTheStatementLinesAreCheckedAgainstIt(Backend backend) {
        PortfolioStore store = store(backend);
        StatementPlugin plugin = new StatementPlugin();
        plugin.lines = List.of(statementLine("a", 0, "100"), statementLine("b", 1, "-30"));
        plugin.balance = new BigDecimal("1070");
        plugin.balanceAsOf = T0.plusSeconds(86_400L); // after the second line
        ImportOrchestrator o = ImportOrchestrator.builder(store)
                .addPlugin(plugin, java.util.Map.of()).build();
        open.add(o);

        JobResult first = o.sync("stmt-bank");
        assertThat(first.succeeded()).isTrue();
        // the balance is stored with the holdings, as cash
        assertThat(store.holdingSnapshots("stmt-bank", "CHK-1")).singleElement()
                .satisfies(snap -> assertThat(snap.holdings()).singleElement().satisfies(h -> {
                    assertThat(h.assetClass()).isEqualTo(AssetClass.CASH);
                    assertThat(h.quantity()).isEqualByComparingTo("1070");
                }));
        AssetReconciliation usd = store.reconciliations(Optional.of("stmt-bank")).get(0).assets().get(0);
        assertThat(usd.status()).isEqualTo(ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT);
        assertThat(usd.openingQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("1000"));

        // the next statement: a line of -20, but the bank says 1040: 10 the lines do not explain
        plugin.lines = List.of(statementLine("a", 0, "100"), statementLine("b", 1, "-30"),
                statementLine("c", 2, "-20"));
        plugin.balance = new BigDecimal("1040");
        plugin.balanceAsOf = T0.plusSeconds(2 * 86_400L);
        JobResult second = o.sync("stmt-bank");
        assertThat(second.unreconciled()).singleElement().satisfies(r -> {
            assertThat(r.unexplained()).singleElement().satisfies(a -> {
                assertThat(a.asset()).isEqualTo("USD");
                assertThat(a.difference()).isEqualByComparingTo("-10");
                assertThat(a.openingQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("1000"));
                assertThat(a.divergedOn()).contains(java.time.LocalDate.of(2024, 3, 3));
            });
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

    /**
     * Issue 25: the exchange's running balance (a ledger entry's, kept as {@code balance_after}) dates the missing
     * trade; the trade's two legs form one gap; what to look at is stored with the verdict, and the account's source
     * is known for the repair hint.
     */
    /** The exchange of {@link #exchange}, its deposits carrying the running balance after them, and a later one. */
    private static FakeConnector exchangeWithBalances(boolean leaveOutATrade) {
        FakeConnector c = exchange(leaveOutATrade);
        List<Transaction> txs = new ArrayList<>();
        for (Transaction t : c.transactions) {
            txs.add(t.sourceId().orElseThrow().equals("d1")
                    ? t.toBuilder().attribute("balance_after", "1000").build() : t);
        }
        txs.add(Transaction.builder().date(T0.plusSeconds(86_400L * 5)).symbol("USDT").type(TransactionType.DEPOSIT)
                .quantity(new BigDecimal("100")).amount(new BigDecimal("100")).currency("USDT").sourceId("d2")
                .accountId("ACC-1").source("kraken").attribute("balance_after", "328.97").build());
        c.transactions = txs;
        c.holdings = List.of(holding("BTC", "0.013"), holding("USDT", "328.97"));
        return c;
    }

    /**
     * Two sources can write one account (IBKR's gateway and its Flex files) at the same time: a checkpoint left while
     * the other's job is running would hold the rows it wrote so far and count them again when a later check reads
     * that job's rows. None is left then; the verdict is the same, and the next check alone leaves one.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void noCheckpointIsLeftWhileAnotherJobIsRunning(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector second = FakeConnector.account("kraken", "kraken-2", "ACC-1");
        ImportOrchestrator o = ImportOrchestrator.builder(store)
                .addConnector(exchange(false)).addConnector(second).build();
        open.add(o);
        // the other source's job is writing the same account
        long other = store.startJob("crypto_exchange", "kraken-2", 1, T0);

        assertThat(o.sync("kraken").reconciliations()).singleElement()
                .satisfies(r -> assertThat(r.reconciles()).isTrue());
        assertThat(store.reconciliationCheckpoint("kraken", "ACC-1")).isEmpty();

        store.finishJob(other, io.foliosync.imports.JobStatus.FAILED, Optional.of("stopped"), T0, Optional.empty());
        assertThat(o.sync("kraken").reconciliations()).singleElement()
                .satisfies(r -> assertThat(r.reconciles()).isTrue());
        assertThat(store.reconciliationCheckpoint("kraken", "ACC-1")).isPresent();
    }

    /**
     * The other way round: the other source's job started after this one (a higher id) and finished writing before
     * this check read the account. The checkpoint covers that job too; "through this job's id" would count its rows
     * again when its own check reads the rows after the checkpoint.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void aCheckpointCoversALaterJobOfAnotherSourceWhoseRowsItRead(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector second = FakeConnector.account("kraken", "kraken-2", "ACC-1");
        second.type = ConnectorType.CRYPTO_EXCHANGE;
        second.transactions = List.of(trade(TransactionType.BUY, "t9", 4, "BTC", "0.001", "60", "0", "USDT"));
        second.holdings = List.of(holding("BTC", "0.014"), holding("USDT", "168.97"));
        ImportOrchestrator o = ImportOrchestrator.builder(store).addConnector(exchange(false)).addConnector(second)
                .build();
        open.add(o);
        // this source's job starts first; the other's starts, writes and finishes while it runs
        long first = store.startJob("crypto_exchange", "kraken", 1, T0);
        long later = o.sync("kraken-2").jobId().orElseThrow();
        assertThat(later).isGreaterThan(first);
        store.finishJob(first, io.foliosync.imports.JobStatus.SUCCEEDED, Optional.empty(), T0, Optional.empty());

        Reconciler reconciler = Reconciler.defaults();
        Instant now = Instant.now();
        reconciler.reconcile(store, "crypto_exchange", "kraken", "ACC-1", first, now, Set.of("kraken-2"));
        assertThat(store.reconciliationCheckpoint("kraken", "ACC-1").orElseThrow().throughJobId()).isEqualTo(later);
        // the later job's own check, continuing from that checkpoint, counts its trade once
        AccountReconciliation continued = reconciler.reconcile(store, "crypto_exchange", "kraken", "ACC-1", later,
                now, Set.of("kraken")).orElseThrow();
        assertThat(continued).isEqualTo(reconciler.reconcile(store, "crypto_exchange", "kraken", "ACC-1", now)
                .orElseThrow());
        assertThat(continued.assets()).filteredOn(a -> a.asset().equals("BTC")).singleElement()
                .satisfies(a -> assertThat(a.derived()).isEqualByComparingTo("0.001"));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void repairReReadsFromTheDayBeforeTheGapAndTheAccountReconciles(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector c = exchangeWithBalances(true);
        ImportOrchestrator o = orchestrator(store, c);
        o.sync("kraken");
        assertThat(store.reconciliations(Optional.empty()).get(0).reconciles()).isFalse();

        c.transactions = exchangeWithBalances(false).transactions;
        Instant from = T0.minusSeconds(86_400L);
        SyncReport report = o.repair(java.util.Map.of("kraken", Optional.of(from)));

        assertThat(c.queries.get(c.queries.size() - 1).since()).contains(from);
        assertThat(report.results()).singleElement().satisfies(r -> {
            assertThat(r.counts().imported()).isEqualTo(1); // the missing trade; the rest skipped as duplicates
            assertThat(r.unreconciled()).isEmpty();
        });
        assertThat(store.reconciliations(Optional.empty()).get(0).reconciles()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void missingTradeIsDatedByTheRunningBalanceAndItsSuspectsAreStored(Backend backend) {
        PortfolioStore store = store(backend);
        orchestrator(store, exchangeWithBalances(true)).sync("kraken");

        AccountReconciliation r = store.reconciliations(Optional.of("kraken")).get(0);
        AssetReconciliation usdt = r.assets().get(1);
        assertThat(usdt.asset()).isEqualTo("USDT");
        assertThat(usdt.status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        LocalDate day0 = LocalDate.ofInstant(T0, java.time.ZoneOffset.UTC);
        assertThat(usdt.divergedOn()).contains(day0.plusDays(5));
        assertThat(usdt.agreedThrough()).contains(day0);
        assertThat(usdt.suspectRecords()).singleElement().asString().contains("entry d2")
                .contains("-300.3 USDT is missing between " + day0 + " (entry d1, which agrees) and "
                        + day0.plusDays(5));
        assertThat(r.gaps()).singleElement().satisfies(g -> {
            assertThat(g.assets()).extracting(AssetReconciliation::asset).containsExactly("BTC", "USDT");
            assertThat(g.after()).contains(day0);
            assertThat(g.divergedOn()).contains(day0.plusDays(5));
        });
        assertThat(store.syncedBy("kraken", "ACC-1")).contains("kraken");
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

    /**
     * Issue 22: after the first check, each check reads only what later jobs wrote (the checkpoint) and reaches the
     * verdict a check of the whole history reaches: with new records, a record dated before the last snapshot (a
     * statement delivered late), a record corrected in place, and a history that stops explaining the holdings.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void eachCheckAfterAJobReachesTheVerdictOfTheWholeHistory(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector c = exchange(false);
        c.ignoreSince = true;
        ImportOrchestrator o = orchestrator(store, c);
        List<Transaction> txs = new ArrayList<>(c.transactions);
        Reconciler whole = Reconciler.defaults();

        JobResult first = o.sync("kraken");
        assertThat(store.reconciliationCheckpoint("kraken", "ACC-1")).hasValueSatisfying(cp -> {
            assertThat(cp.throughJobId()).isEqualTo(first.jobId().getAsLong());
            assertThat(cp.kind()).isEqualTo(AccountKind.CRYPTO);
        });
        assertSameVerdict(first, whole, store);

        // a new trade and a deposit dated before the last snapshot, the holdings moving with them
        txs.add(trade(TransactionType.BUY, "t4", 5, "BTC", "0.001", "61", "0", "USDT"));
        txs.add(Transaction.builder().date(T0.plusSeconds(3_600)).symbol("USDT").type(TransactionType.DEPOSIT)
                .quantity(new BigDecimal("100")).amount(new BigDecimal("100")).currency("USDT").sourceId("d2")
                .accountId("ACC-1").source("kraken").build());
        c.transactions = List.copyOf(txs);
        c.holdings = List.of(holding("BTC", "0.014"), holding("USDT", "267.97"));
        JobResult second = o.sync("kraken");
        assertThat(second.counts().imported()).isEqualTo(2);
        // the first snapshot, taken before these records were stored, held less than they explain
        assertThat(second.reconciliations().get(0).assets())
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(ReconciliationStatus.UNEXPLAINED));
        assertSameVerdict(second, whole, store);
        assertThat(store.reconciliationCheckpoint("kraken", "ACC-1").orElseThrow().throughJobId())
                .isEqualTo(second.jobId().getAsLong());

        // a record corrected at the source (its fee), rewritten in place: the check starts again from the whole
        txs.set(1, trade(TransactionType.BUY, "t1", 1, "BTC", "0.01", "600", "0.5", "USDT"));
        c.transactions = List.copyOf(txs);
        JobResult third = o.sync("kraken");
        assertThat(third.counts().updated()).isEqualTo(1);
        assertSameVerdict(third, whole, store);

        // holdings the history no longer explains
        c.holdings = List.of(holding("BTC", "0.02"), holding("USDT", "100"));
        JobResult fourth = o.sync("kraken");
        assertThat(fourth.unreconciled()).isNotEmpty();
        assertSameVerdict(fourth, whole, store);
    }

    private static void assertSameVerdict(JobResult result, Reconciler whole, PortfolioStore store) {
        AccountReconciliation expected = whole.reconcile(store, "crypto_exchange", "kraken", "ACC-1",
                result.reconciliations().get(0).checkedAt()).orElseThrow();
        assertThat(result.reconciliations()).singleElement().isEqualTo(expected);
    }
}
