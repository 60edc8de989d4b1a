package io.foliosync.connectors.ibkr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.FxRate;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.connectors.api.testing.SharedFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the parser over the real (anonymised) Flex statements in the shared fixtures. They are EPL-1.0
 * (portfolio-performance) and are not copied into this project: the tests skip where they are absent.
 */
class SharedFlexFixturesTest {

    record Counts(List<Transaction> trades, List<Transaction> cash, List<Transaction> actions,
                  List<Holding> positions, List<FxRate> rates, List<FlexAccount> accounts) {
    }

    static Counts read(Path file) {
        Counts c = new Counts(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
        FlexStatementParser.create().read(file, new FlexStatementHandler() {
            @Override
            public void transaction(Transaction t) {
                if (t.attributes().containsKey("transactionType") || t.rawType().orElse("").matches("BUY|SELL")) {
                    c.trades.add(t);
                } else if (t.type() == TransactionType.SPLIT || t.rawType().orElse("").equals("CorporateAction")) {
                    c.actions.add(t);
                } else {
                    c.cash.add(t);
                }
            }
            @Override public void openPosition(Holding h) { c.positions.add(h); }
            @Override public void conversionRate(FxRate r) { c.rates.add(r); }
            @Override public void account(FlexAccount a) { c.accounts.add(a); }
        });
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // file, trades, cash transactions, corporate actions, open positions, rates, accounts
            "pp-flex01-trades-cash-fx-corpactions.xml, 14, 7, 5, 0, 0, 0",
            "pp-flex02-trades-cash-accountinfo.xml, 9, 4, 0, 0, 0, 1",
            "pp-flex12-cash-dividends-tax.xml, 4, 14, 0, 0, 0, 1",
            "pp-flex17-openpositions-full.xml, 0, 3, 0, 13, 0, 1",
            "pp-flex20-cashreport-accruals.xml, 1, 2, 0, 0, 2, 1",
            "pp-flex24-cash-interest.xml, 0, 10, 0, 0, 0, 0",
            "pp-flex26-multi-account.xml, 1, 3, 0, 0, 0, 2"})
    void parsesEveryRealStatement(String name, int trades, int cash, int actions, int positions, int rates,
                                  int accounts) {
        Optional<Path> file = SharedFixtures.file("ibkr-flex/" + name);
        assumeTrue(file.isPresent(), "shared fixture ibkr-flex/" + name + " not present");
        Counts c = read(file.get());
        assertThat(c.trades).as("trades").hasSize(trades);
        assertThat(c.cash).as("cash transactions").hasSize(cash);
        assertThat(c.actions).as("corporate actions").hasSize(actions);
        assertThat(c.positions).as("open positions").hasSize(positions);
        assertThat(c.rates).as("conversion rates").hasSize(rates);
        assertThat(c.accounts).as("accounts").hasSize(accounts);
        List<Transaction> all = new ArrayList<>(c.trades);
        all.addAll(c.cash);
        all.addAll(c.actions);
        assertThat(all).allSatisfy(t -> {
            assertThat(t.sourceId()).isPresent();
            assertThat(t.fees().signum()).isGreaterThanOrEqualTo(0);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // file, open positions, cash holdings (currency-level CashReport rows with a non-zero ending cash)
            "pp-flex17-openpositions-full.xml, 13, 0", // its CashReport has the base-currency summary only
            "pp-flex20-cashreport-accruals.xml, 0, 4",
            "pp-flex24-cash-interest.xml, 0, 0",
            "pp-flex02-trades-cash-accountinfo.xml, 0, 0"})
    void holdingsOfRealStatements(String name, int positions, int cash) {
        Optional<Path> file = SharedFixtures.file("ibkr-flex/" + name);
        assumeTrue(file.isPresent(), "shared fixture ibkr-flex/" + name + " not present");
        List<Holding> holdings = FlexStatementParser.create().holdings(List.of(file.get()));
        assertThat(holdings).filteredOn(h -> h.assetClass() != AssetClass.CASH).as("positions").hasSize(positions);
        assertThat(holdings).filteredOn(h -> h.assetClass() == AssetClass.CASH).as("cash").hasSize(cash)
                .allSatisfy(h -> assertThat(h.symbol()).isEqualTo(h.currency()));
        if (name.startsWith("pp-flex20")) {
            assertThat(holdings).extracting(Holding::symbol).containsExactly("AUD", "CAD", "EUR", "USD");
            assertThat(holdings.get(3).quantity()).isEqualByComparingTo("1544.296952");
        }
    }

    @org.junit.jupiter.api.Test
    void flex01SplitAndCashTypesMapAsExpected() {
        Optional<Path> file = SharedFixtures.file("ibkr-flex/pp-flex01-trades-cash-fx-corpactions.xml");
        assumeTrue(file.isPresent(), "shared fixture not present");
        Counts c = read(file.get());
        assertThat(c.actions).filteredOn(t -> t.type() == TransactionType.SPLIT).hasSize(2);
        assertThat(c.cash).extracting(Transaction::type).contains(TransactionType.FEE, TransactionType.INTEREST,
                TransactionType.TAX);
        assertThat(c.trades).allSatisfy(t -> assertThat(t.type()).isIn(TransactionType.BUY, TransactionType.SELL));
    }
}
