package io.foliosync.imports.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.pipeline.Normalizer;
import io.foliosync.imports.query.HoldingSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reconciliation rules, on in-memory histories (the store round trip is in ReconciliationStoreTest). */
class ReconcilerTest {
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");
    private final Reconciler reconciler = Reconciler.defaults();
    private final Normalizer normalizer = Normalizer.defaults();

    private static Instant day(int d) {
        return T0.plusSeconds(86_400L * d);
    }

    private Transaction tx(TransactionType type, int day, String symbol, String qty, String amount, String currency) {
        return normalizer.normalize(Transaction.builder().date(day(day)).symbol(symbol).type(type)
                .quantity(new BigDecimal(qty)).amount(new BigDecimal(amount)).currency(currency)
                .accountId("A1").source("test").build());
    }

    private static Holding holding(String symbol, String qty, AssetClass cls) {
        return Holding.builder().symbol(symbol).quantity(new BigDecimal(qty)).currency("USD").accountId("A1")
                .assetClass(cls).source("test").build();
    }

    private static HoldingSnapshot snapshot(long id, Instant at, Holding... holdings) {
        return new HoldingSnapshot(id, at, List.of(holdings));
    }

    private AccountReconciliation run(AccountKind kind, List<HoldingSnapshot> snaps, List<Transaction> txs) {
        return reconciler.reconcile(kind, "ns", "A1", snaps, txs, NOW).orElseThrow();
    }

    private static AssetReconciliation asset(AccountReconciliation r, String asset) {
        return r.assets().stream().filter(a -> a.asset().equals(asset)).findFirst().orElseThrow();
    }

    private List<Transaction> aaplHistory() {
        return List.of(tx(TransactionType.BUY, 0, "AAPL", "10", "1500", "USD"),
                tx(TransactionType.BUY, 5, "AAPL", "5", "800", "USD"),
                tx(TransactionType.SELL, 9, "AAPL", "3", "500", "USD"));
    }

    @Test
    void historyThatExplainsTheHoldingsMatchesWithScoreOne() {
        AccountReconciliation r = run(AccountKind.SECURITIES,
                List.of(snapshot(1, NOW, holding("AAPL", "12", AssetClass.STOCK), holding("USD", "999",
                        AssetClass.CASH))), aaplHistory());

        assertThat(asset(r, "AAPL")).satisfies(a -> {
            assertThat(a.status()).isEqualTo(ReconciliationStatus.MATCHES);
            assertThat(a.derived()).isEqualByComparingTo("12");
            assertThat(a.difference()).isEqualByComparingTo("0");
            assertThat(a.openingQuantity()).isEmpty();
        });
        // broker cash is listed without a verdict, beside what the trades' cash legs explain
        assertThat(asset(r, "USD")).satisfies(a -> {
            assertThat(a.status()).isEqualTo(ReconciliationStatus.NOT_RECONCILED);
            assertThat(a.reported()).isEqualByComparingTo("999");
            assertThat(a.derived()).isEqualByComparingTo("-1800");
            assertThat(a.difference()).isEqualByComparingTo("2799");
        });
        assertThat(r.notReconciled()).extracting(AssetReconciliation::asset).containsExactly("USD");
        assertThat(r.reconciles()).isTrue();
        // the unchecked cash counts neither for nor against the score
        assertThat(r.dataQualityScore()).isEqualByComparingTo("1");
    }

    @Test
    void historyWithOneTradeLeftOutIsUnexplainedByExactlyThatAmount() {
        List<Transaction> missing = new ArrayList<>(aaplHistory());
        missing.remove(1); // the 5 AAPL buy
        AccountReconciliation r = run(AccountKind.SECURITIES,
                List.of(snapshot(1, NOW, holding("AAPL", "12", AssetClass.STOCK))), missing);

        AssetReconciliation a = asset(r, "AAPL");
        assertThat(a.status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(a.reported()).isEqualByComparingTo("12");
        assertThat(a.derived()).isEqualByComparingTo("7");
        assertThat(a.difference()).isEqualByComparingTo("5");
        assertThat(a.divergedOn()).contains(LocalDate.of(2024, 6, 1));
        assertThat(r.dataQualityScore()).isEqualByComparingTo("0");
    }

    @Test
    void twoForOneSplitAddsItsQuantityAndAReverseSplitRemovesIt() {
        List<Transaction> txs = List.of(tx(TransactionType.BUY, 0, "NVDA", "10", "9000", "USD"),
                tx(TransactionType.SPLIT, 3, "NVDA", "10", "0", "USD"),
                tx(TransactionType.BUY, 4, "TQQQ", "40", "2000", "USD"),
                // a 1:4 reverse split, reported with a negative quantity: the normalizer keeps original_sign
                tx(TransactionType.SPLIT, 6, "TQQQ", "-30", "0", "USD"));
        AccountReconciliation r = run(AccountKind.SECURITIES, List.of(snapshot(1, NOW,
                holding("NVDA", "20", AssetClass.STOCK), holding("TQQQ", "10", AssetClass.ETF))), txs);

        assertThat(r.assets()).allSatisfy(a -> assertThat(a.status()).isEqualTo(ReconciliationStatus.MATCHES));
        assertThat(asset(r, "NVDA").derived()).isEqualByComparingTo("20");
        assertThat(asset(r, "TQQQ").derived()).isEqualByComparingTo("10");
    }

    @Test
    void sharesMovedWithoutAReportedAmountChangeOnlyTheirPositionNeverCash() {
        java.util.function.UnaryOperator<Transaction> unreported = t -> normalizer.normalize(t.toBuilder()
                .price(new BigDecimal("170.07")).attribute(Transaction.AMOUNT_NOT_REPORTED, "true").build());
        List<Transaction> txs = List.of(tx(TransactionType.BUY, 0, "AVGO", "1", "1402.15", "USD"),
                unreported.apply(tx(TransactionType.SPLIT, 3, "AVGO", "9", "0", "USD")),
                unreported.apply(tx(TransactionType.TRANSFER_IN, 4, "SAMPL", "25", "0", "USD")));
        AccountReconciliation r = run(AccountKind.SECURITIES, List.of(snapshot(1, NOW,
                holding("AVGO", "10", AssetClass.STOCK), holding("SAMPL", "25", AssetClass.STOCK))), txs);

        assertThat(r.assets()).allSatisfy(a -> assertThat(a.status()).isEqualTo(ReconciliationStatus.MATCHES));
        assertThat(txs.subList(1, 3)).allSatisfy(t -> assertThat(Reconciler.effects(AccountKind.CRYPTO, t))
                .as("no cash leg, even where cash is reconciled").extracting(e -> e.asset())
                .containsExactly(t.symbol().orElseThrow()));
    }

    @Test
    void feesPaidInAThirdAssetAreSubtractedFromThatAsset() {
        Transaction buy = normalizer.normalize(Transaction.builder().date(day(1)).symbol("BTC")
                .type(TransactionType.BUY).quantity(new BigDecimal("0.5")).amount(new BigDecimal("30000"))
                .currency("USDT").fees(new BigDecimal("0.0125")).feeCurrency("BNB").accountId("A1").source("test")
                .build());
        List<Transaction> txs = List.of(tx(TransactionType.DEPOSIT, 0, "USDT", "50000", "50000", "USDT"),
                tx(TransactionType.DEPOSIT, 0, "BNB", "1", "1", "BNB"), buy);
        AccountReconciliation r = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("BTC", "0.5", AssetClass.CRYPTO), holding("USDT", "20000", AssetClass.CRYPTO),
                holding("BNB", "0.9875", AssetClass.CRYPTO))), txs);

        assertThat(asset(r, "BNB").derived()).isEqualByComparingTo("0.9875");
        assertThat(asset(r, "USDT").derived()).isEqualByComparingTo("20000"); // the trade's cash leg
        assertThat(r.reconciles()).isTrue();
        assertThat(r.assets()).extracting(AssetReconciliation::asset).containsExactly("BNB", "BTC", "USDT");
    }

    @Test
    void cryptoDustWithinTheToleranceMatches() {
        AccountReconciliation r = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("ETH", "1.000000005", AssetClass.CRYPTO))),
                List.of(tx(TransactionType.DEPOSIT, 0, "ETH", "1", "1", "ETH")));

        assertThat(asset(r, "ETH").status()).isEqualTo(ReconciliationStatus.MATCHES);
        assertThat(asset(r, "ETH").difference()).isEqualByComparingTo("0.000000005");
    }

    @Test
    void historyThatStartsAfterTheOldestSnapshotHasAnOpeningQuantity() {
        // the account held 2 ETH when it was first synced; the history read since starts later
        List<HoldingSnapshot> snaps = List.of(snapshot(1, day(-10), holding("ETH", "2", AssetClass.CRYPTO)),
                snapshot(2, NOW, holding("ETH", "2.5", AssetClass.CRYPTO)));
        AccountReconciliation r = run(AccountKind.CRYPTO, snaps,
                List.of(tx(TransactionType.REWARD, 0, "ETH", "0.5", "0.5", "ETH")));

        AssetReconciliation eth = asset(r, "ETH");
        assertThat(eth.status()).isEqualTo(ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT);
        assertThat(eth.openingQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("2"));
        assertThat(eth.derived()).isEqualByComparingTo("2.5");
        assertThat(r.dataQualityScore()).isEqualByComparingTo("1");
    }

    @Test
    void historyThatOnlyAnOpeningBalanceExplainsStartsAfterTheAccount() {
        // a source that keeps 90 days: a sale of more than the history ever bought
        AccountReconciliation r = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("SOL", "7", AssetClass.CRYPTO))),
                List.of(tx(TransactionType.WITHDRAWAL, 0, "SOL", "3", "3", "SOL")));

        AssetReconciliation sol = asset(r, "SOL");
        assertThat(sol.status()).isEqualTo(ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT);
        assertThat(sol.openingQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("10"));
    }

    @Test
    void snapshotsOverTimeGiveTheFirstDateOfDivergence() {
        List<HoldingSnapshot> snaps = List.of(snapshot(1, day(1), holding("AAPL", "10", AssetClass.STOCK)),
                snapshot(2, day(6), holding("AAPL", "15", AssetClass.STOCK)),
                snapshot(3, day(7), holding("AAPL", "20", AssetClass.STOCK)),
                snapshot(4, NOW, holding("AAPL", "17", AssetClass.STOCK)));
        AccountReconciliation r = run(AccountKind.SECURITIES, snaps, aaplHistory());

        AssetReconciliation a = asset(r, "AAPL");
        assertThat(a.status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(a.difference()).isEqualByComparingTo("5");
        assertThat(a.divergedOn()).contains(LocalDate.of(2024, 3, 8));
    }

    @Test
    void positionThatVanishedWithoutASaleIsUnexplained() {
        List<HoldingSnapshot> snaps = List.of(snapshot(1, day(1), holding("MSFT", "4", AssetClass.STOCK)),
                snapshot(2, NOW));
        AccountReconciliation r = run(AccountKind.SECURITIES, snaps,
                List.of(tx(TransactionType.BUY, 0, "MSFT", "4", "1600", "USD")));

        AssetReconciliation a = asset(r, "MSFT");
        assertThat(a.status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(a.difference()).isEqualByComparingTo("-4");
        assertThat(a.divergedOn()).contains(LocalDate.of(2024, 6, 1));
    }

    @Test
    void otherRecordsAreNotGuessedAndLeaveTheAssetUnexplained() {
        AccountReconciliation r = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("DOT", "5", AssetClass.CRYPTO))),
                List.of(tx(TransactionType.DEPOSIT, 0, "DOT", "10", "10", "DOT"),
                        tx(TransactionType.OTHER, 1, "DOT", "5", "5", "DOT")));

        assertThat(asset(r, "DOT").status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(asset(r, "DOT").difference()).isEqualByComparingTo("-5");
        // named as the reason, since counting it in its reported direction (in) does not explain it either
        assertThat(asset(r, "DOT").suspectRecords()).singleElement().asString().startsWith("OTHER record")
                .contains("+5 DOT").contains("not counted");
    }

    @Test
    void accountWithoutSnapshotsIsNotReconciled() {
        assertThat(reconciler.reconcile(AccountKind.SECURITIES, "ns", "A1", List.of(), aaplHistory(), NOW))
                .isEmpty();
    }

    private Transaction line(int day, String amount, String balance) {
        return new BankTransaction("L" + day + amount, "A1", LocalDate.of(2024, 3, 1).plusDays(day),
                new BigDecimal(amount), "USD", "line", Optional.empty(),
                Optional.ofNullable(balance).map(BigDecimal::new),
                BankTransaction.typeForSign(new BigDecimal(amount)), Optional.empty()).toTransaction("bank-test");
    }

    @Test
    void bankStatementWhoseLinesExplainItsBalanceStartsFromItsOpeningBalance() {
        AccountReconciliation r = run(AccountKind.BANK, List.of(), List.of(line(0, "100", "1100"),
                line(1, "-30", "1070"), line(2, "50", "1120")));

        AssetReconciliation usd = asset(r, "USD");
        assertThat(usd.status()).isEqualTo(ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT);
        assertThat(usd.openingQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("1000"));
        assertThat(usd.reported()).isEqualByComparingTo("1120");
        assertThat(usd.derived()).isEqualByComparingTo("1120");
    }

    @Test
    void bankStatementWhoseRunningBalanceDisagreesWithItsLinesIsFlaggedWithTheDifference() {
        AccountReconciliation r = run(AccountKind.BANK, List.of(), List.of(line(0, "100", "100"),
                line(1, "-30", "70"), line(2, "50", "130"), line(3, "-20", "110")));

        AssetReconciliation usd = asset(r, "USD");
        assertThat(usd.status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(usd.reported()).isEqualByComparingTo("110");
        assertThat(usd.derived()).isEqualByComparingTo("100");
        assertThat(usd.difference()).isEqualByComparingTo("10");
        assertThat(usd.divergedOn()).contains(LocalDate.of(2024, 3, 3));
        assertThat(usd.agreedThrough()).contains(LocalDate.of(2024, 3, 2));
        assertThat(usd.suspectRecords()).singleElement().asString().contains("balance on 2024-03-03 is 130 USD")
                .contains("its lines explain 120").contains("a line of +10 USD is missing")
                .contains("after 2024-03-02");
    }

    @Test
    void brokerFxTradeMovesNoPositionAndUncheckedCashLeavesTheScoreToTheInstruments() {
        Transaction fx = normalizer.normalize(Transaction.builder().date(day(1)).symbol("EUR.USD")
                .type(TransactionType.SELL).quantity(new BigDecimal("800")).amount(new BigDecimal("868.4"))
                .currency("USD").accountId("A1").source("test").attribute("assetCategory", "CASH").build());
        List<Transaction> history = new ArrayList<>(aaplHistory());
        history.add(fx);
        AccountReconciliation r = run(AccountKind.SECURITIES, List.of(snapshot(1, NOW,
                holding("AAPL", "11", AssetClass.STOCK), holding("USD", "10", AssetClass.CASH))), history);

        assertThat(r.assets()).extracting(AssetReconciliation::asset).containsExactly("AAPL", "USD");
        assertThat(asset(r, "AAPL").status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(asset(r, "USD").status()).isEqualTo(ReconciliationStatus.NOT_RECONCILED);
        // one checked asset, unexplained: 0, not 0.5
        assertThat(r.dataQualityScore()).isEqualByComparingTo("0");
    }

    private static Holding cash(String qty) {
        return Holding.builder().symbol("USD").quantity(new BigDecimal(qty)).currency("USD").accountId("A1")
                .assetClass(AssetClass.CASH).source("bank-test").build();
    }

    @Test
    void statementWithoutRunningBalancesTakesItsOpeningFromTheFirstReportedBalanceAndChecksTheNext() {
        List<Transaction> lines = List.of(line(0, "100", null), line(1, "-30", null), line(2, "50", null));
        // the plugin reported 1120 after the third line: the opening was 1000
        HoldingSnapshot first = snapshot(1, day(3), cash("1120"));
        AccountReconciliation r = run(AccountKind.BANK, List.of(first), lines);
        AssetReconciliation usd = asset(r, "USD");
        assertThat(usd.status()).isEqualTo(ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT);
        assertThat(usd.openingQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("1000"));

        // a later statement line of -20, but the next balance is 1090: 10 the lines do not explain
        List<Transaction> more = new ArrayList<>(lines);
        more.add(line(4, "-20", null));
        AccountReconciliation later = run(AccountKind.BANK, List.of(first, snapshot(2, day(5), cash("1090"))), more);
        AssetReconciliation gap = asset(later, "USD");
        assertThat(gap.status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(gap.difference()).isEqualByComparingTo("-10");
        assertThat(gap.divergedOn()).contains(LocalDate.ofInstant(day(5), java.time.ZoneOffset.UTC));
    }

    private Transaction ledger(TransactionType type, int day, String asset, String qty, String balance, String id) {
        Transaction.Builder b = Transaction.builder().date(day(day)).symbol(asset).type(type)
                .quantity(new BigDecimal(qty)).amount(new BigDecimal(qty)).currency(asset).accountId("A1")
                .source("test").sourceId(id).rawType(type.name().toLowerCase(java.util.Locale.ROOT));
        if (balance != null) {
            b.attribute("balance_after", balance);
        }
        return normalizer.normalize(b.build());
    }

    private Transaction trade(TransactionType type, int day, String qty, String usd) {
        return normalizer.normalize(Transaction.builder().date(day(day)).symbol("BTC").type(type)
                .quantity(new BigDecimal(qty)).amount(new BigDecimal(usd)).currency("USD").accountId("A1")
                .source("test").sourceId("T" + day).build());
    }

    /** USD deposited, BTC bought, half of it sold, and more bought with the proceeds: reported BTC 1.5, USD 1000. */
    private List<Transaction> tradingHistory() {
        return new ArrayList<>(List.of(ledger(TransactionType.DEPOSIT, 0, "USD", "10000", "10000", "L0"),
                trade(TransactionType.BUY, 1, "1", "5000"),
                trade(TransactionType.SELL, 2, "0.5", "3000"),
                trade(TransactionType.BUY, 3, "1", "7000")));
    }

    @Test
    void sellLeftOutIsUnexplainedOnBothSidesAndFormsOneGapNotAnOpening() {
        List<Transaction> missing = tradingHistory();
        missing.remove(2);
        AccountReconciliation r = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("BTC", "1.5", AssetClass.CRYPTO), holding("USD", "1000", AssetClass.CASH))), missing);

        // without the sale the history runs USD down to -2000 after it began with a deposit: no opening explains
        // that, the sale's proceeds are missing
        assertThat(asset(r, "USD").status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(asset(r, "USD").openingQuantity()).isEmpty();
        assertThat(asset(r, "USD").difference()).isEqualByComparingTo("3000");
        assertThat(asset(r, "BTC").status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(asset(r, "BTC").difference()).isEqualByComparingTo("-0.5");
        assertThat(r.gaps()).singleElement().satisfies(g -> assertThat(g.assets())
                .extracting(AssetReconciliation::asset).containsExactly("BTC", "USD"));

        // the whole history reconciles
        AccountReconciliation whole = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("BTC", "1.5", AssetClass.CRYPTO), holding("USD", "1000", AssetClass.CASH))),
                tradingHistory());
        assertThat(whole.reconciles()).isTrue();
        assertThat(whole.gaps()).isEmpty();
    }

    @Test
    void sharesHeldBeforeTheHistoryAreAnOpeningEvenAfterASmallReinvestmentWhenNothingElseIsOff() {
        // a broker export of two weeks: a dividend reinvested, then a sale of shares bought years before
        AccountReconciliation r = run(AccountKind.SECURITIES, List.of(snapshot(1, NOW,
                holding("SMPLX", "40", AssetClass.ETF))),
                List.of(tx(TransactionType.BUY, 0, "SMPLX", "0.0311", "2.25", "USD"),
                        tx(TransactionType.SELL, 2, "SMPLX", "10", "725", "USD")));

        AssetReconciliation smplx = asset(r, "SMPLX");
        assertThat(smplx.status()).isEqualTo(ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT);
        assertThat(smplx.openingQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("49.9689"));
    }

    @Test
    void runningBalanceOfTheSourceDatesTheMissingTradeAndTheLegsShareOneWindow() {
        List<Transaction> missing = tradingHistory();
        missing.remove(2);
        // a later deposit and withdrawal, each with the exchange's running balance after it
        missing.add(ledger(TransactionType.DEPOSIT, 6, "USD", "500", "1500", "L6"));
        missing.add(ledger(TransactionType.WITHDRAWAL, 8, "BTC", "0.25", "1.25", "L8"));
        AccountReconciliation r = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("BTC", "1.25", AssetClass.CRYPTO), holding("USD", "1500", AssetClass.CASH))), missing);

        AssetReconciliation usd = asset(r, "USD");
        assertThat(usd.status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        // the balance after the day-0 deposit agrees; the one after the day-6 deposit holds 3000 more
        assertThat(usd.divergedOn()).contains(LocalDate.of(2024, 3, 7));
        assertThat(usd.agreedThrough()).contains(LocalDate.of(2024, 3, 1));
        assertThat(usd.suspectRecords()).first().asString().contains("entry L6").contains("+3000 USD")
                .contains("between 2024-03-01 (entry L0, which agrees) and 2024-03-07");
        AssetReconciliation btc = asset(r, "BTC");
        assertThat(btc.divergedOn()).contains(LocalDate.of(2024, 3, 9));
        // one gap: the sale lies in both windows, so after 2024-03-01 and on or before 2024-03-07
        assertThat(r.gaps()).singleElement().satisfies(g -> {
            assertThat(g.assets()).extracting(AssetReconciliation::asset).containsExactly("BTC", "USD");
            assertThat(g.after()).contains(LocalDate.of(2024, 3, 1));
            assertThat(g.divergedOn()).contains(LocalDate.of(2024, 3, 7));
        });
    }

    @Test
    void depositLeftOutIsDatedBetweenTheRunningBalancesAroundIt() {
        // the exchange's ledger: deposits on days 0 and 4, a withdrawal on day 9; the day-4 deposit was not imported
        List<Transaction> history = List.of(ledger(TransactionType.DEPOSIT, 0, "EUR", "1000", "1000", "L0"),
                ledger(TransactionType.WITHDRAWAL, 9, "EUR", "300", "950", "L9"));
        AccountReconciliation r = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("EUR", "950", AssetClass.CASH))), history);

        AssetReconciliation eur = asset(r, "EUR");
        assertThat(eur.status()).isEqualTo(ReconciliationStatus.UNEXPLAINED);
        assertThat(eur.difference()).isEqualByComparingTo("250");
        assertThat(eur.agreedThrough()).contains(LocalDate.of(2024, 3, 1));
        assertThat(eur.divergedOn()).contains(LocalDate.of(2024, 3, 10));
        assertThat(eur.suspectRecords()).singleElement().asString()
                .contains("a movement of +250 EUR is missing between 2024-03-01 (entry L0, which agrees) and "
                        + "2024-03-10");
        assertThat(r.gaps()).singleElement().satisfies(g -> assertThat(g.assets()).hasSize(1));
    }

    @Test
    void firstRunningBalanceAboveTheHistoryIsAnOpeningTheSourceItselfStates() {
        // the account held 2 ETH before the history: the first ledger entry's balance says so
        AccountReconciliation r = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("ETH", "2.5", AssetClass.CRYPTO), holding("USD", "0", AssetClass.CASH))),
                List.of(ledger(TransactionType.DEPOSIT, 0, "USD", "100", "100", "L0"),
                        ledger(TransactionType.WITHDRAWAL, 1, "USD", "100", "0", "L1"),
                        ledger(TransactionType.REWARD, 2, "ETH", "0.5", "2.5", "L2")));

        AssetReconciliation eth = asset(r, "ETH");
        assertThat(eth.status()).isEqualTo(ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT);
        assertThat(eth.openingQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo("2"));
    }

    @Test
    void otherRecordThatExplainsTheAssetIsCountedWithItsRawTypeAndOneThatMovesNothingReportedIsListed() {
        Transaction settled = normalizer.normalize(ledger(TransactionType.OTHER, 0, "ETH", "0.5", null, "L23")
                .toBuilder().rawType("settled").attribute("direction", "in").build());
        Transaction adjustment = normalizer.normalize(ledger(TransactionType.OTHER, 1, "ICN", "350", null, "LD")
                .toBuilder().rawType("adjustment").attribute("direction", "out").build());
        AccountReconciliation r = run(AccountKind.CRYPTO, List.of(snapshot(1, NOW,
                holding("ETH", "0.5", AssetClass.CRYPTO))), List.of(settled, adjustment));

        AssetReconciliation eth = asset(r, "ETH");
        assertThat(eth.status()).isEqualTo(ReconciliationStatus.MATCHES);
        assertThat(eth.derived()).isEqualByComparingTo("0.5");
        assertThat(eth.countedOther()).singleElement().asString().contains("L23").contains("'settled'")
                .contains("+0.5 ETH");
        // an asset only an OTHER record moved is listed, never dropped
        assertThat(r.assets()).extracting(AssetReconciliation::asset).containsExactly("ETH", "ICN");
        assertThat(asset(r, "ICN").reported()).isEqualByComparingTo("0");
    }

    @Test
    void tolerancesRejectNegativeOrWholeShares() {
        assertThatThrownBy(() -> Tolerance.absolute("-0.01")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> new Tolerance(BigDecimal.ZERO, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative");
        assertThat(ReconciliationTolerances.defaults().of(AssetClass.CASH).absolute()).isEqualByComparingTo("0.01");
    }
}
