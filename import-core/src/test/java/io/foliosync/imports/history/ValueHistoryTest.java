package io.foliosync.imports.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.FakeConnector;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.JobStatus;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.TestStores;
import io.foliosync.imports.store.JdbcPortfolioStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The value over time of one broker account synced through the orchestrator: quantities from its history, priced at
 * the market's closes and its trades' prices, a weekend carried, a week without a price said, today the valuation;
 * then a second sync extends it incrementally to what a rebuild computes.
 */
class ValueHistoryTest {
    static final LocalDate TODAY = LocalDate.of(2024, 3, 10);
    static final Clock CLOCK = Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private final TestStores open = new TestStores();

    static List<Backend> backends() {
        return TestDatabases.backends();
    }

    @AfterEach
    void close() throws Exception {
        open.close();
    }

    /** The market's AAPL closes; nothing for XYZ (it is priced by its one trade only). */
    static final class Market implements DailyPrices {
        final List<String> asked = new ArrayList<>();

        @Override
        public Map<LocalDate, BigDecimal> closes(String symbol, String currency, Optional<AssetClass> assetClass,
                                                 LocalDate from, LocalDate to) {
            asked.add(symbol + " " + from + ".." + to);
            TreeMap<LocalDate, BigDecimal> all = new TreeMap<>();
            if (symbol.equals("AAPL")) {
                all.put(LocalDate.of(2024, 3, 1), new BigDecimal("149"));
                all.put(LocalDate.of(2024, 3, 2), new BigDecimal("150"));
                all.put(LocalDate.of(2024, 3, 4), new BigDecimal("152"));
            }
            return all.subMap(from, true, to, true);
        }

        @Override
        public Map<LocalDate, BigDecimal> fxRates(String from, String to, LocalDate fromDay, LocalDate toDay) {
            return Map.of();
        }
    }

    static Transaction.Builder tx(String id, String day, TransactionType type) {
        return Transaction.builder().date(Instant.parse(day + "T15:00:00Z")).type(type).currency("USD")
                .sourceId(id).accountId("ACC-1").source("broker");
    }

    static Transaction trade(String id, String day, TransactionType type, String symbol, String qty, String price,
                             String fees) {
        BigDecimal q = new BigDecimal(qty);
        BigDecimal p = new BigDecimal(price);
        return tx(id, day, type).symbol(symbol).quantity(q).price(p).amount(q.multiply(p)).fees(new BigDecimal(fees))
                .build();
    }

    static Holding holding(String symbol, String qty, AssetClass cls) {
        return Holding.builder().symbol(symbol).quantity(new BigDecimal(qty)).currency("USD").accountId("ACC-1")
                .assetClass(cls).source("broker").build();
    }

    private static ValueHistory.Today today(List<Holding> holdings, String... values) {
        List<Optional<BigDecimal>> v = new ArrayList<>();
        for (String s : values) {
            v.add(s == null ? Optional.empty() : Optional.of(new BigDecimal(s)));
        }
        return new ValueHistory.Today(TODAY, holdings, v);
    }

    private static Map<LocalDate, String> values(ValueHistory.Series s) {
        Map<LocalDate, String> out = new TreeMap<>();
        s.points().forEach(p -> out.put(p.day(), p.value().map(v -> v.stripTrailingZeros().toPlainString())
                .orElse("no price: " + String.join(", ", p.unpriced()))));
        return out;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aDayIsWhatWasHeldThatDayAtThatDaysCloseAndASecondSyncExtendsItToWhatARebuildComputes(Backend backend) {
        JdbcPortfolioStore store = (JdbcPortfolioStore) open.store(TestDatabases.settings(backend, dir));
        FakeConnector broker = new FakeConnector("broker");
        broker.transactions = List.of(
                tx("d1", "2024-03-01", TransactionType.DEPOSIT).quantity(new BigDecimal("1000"))
                        .amount(new BigDecimal("1000")).build(),
                trade("b0", "2024-03-01", TransactionType.BUY, "XYZ", "10", "10", "0"),
                trade("b1", "2024-03-02", TransactionType.BUY, "AAPL", "2", "150", "1"),
                trade("s1", "2024-03-05", TransactionType.SELL, "AAPL", "1", "160", "0"));
        broker.holdings = List.of(holding("AAPL", "1", AssetClass.STOCK), holding("USD", "759", AssetClass.CASH),
                holding("XYZ", "10", AssetClass.STOCK));
        ImportOrchestrator sync = ImportOrchestrator.builder(store)
                .addConnector("broker", broker).build();
        open.add(sync);
        assertThat(sync.sync("broker").status()).isEqualTo(JobStatus.SUCCEEDED);

        ValueHistory history = ValueHistory.of(store, CLOCK);
        Market market = new Market();
        ValueHistory.Series s = history.series(Optional.empty(), TODAY, "USD", market,
                today(broker.holdings, "165", "759", "120"));

        Map<LocalDate, String> expected = new TreeMap<>();
        expected.put(LocalDate.of(2024, 3, 1), "1000");          // 900 cash + 10 XYZ at its trade's 10
        expected.put(LocalDate.of(2024, 3, 2), "999");           // 599 cash + 2 AAPL at 150 + 100
        expected.put(LocalDate.of(2024, 3, 3), "999");           // no close: the 2nd's carried
        expected.put(LocalDate.of(2024, 3, 4), "1003");          // 599 + 2 x 152 + 100
        expected.put(LocalDate.of(2024, 3, 5), "1019");          // 759 + 1 at the sale's 160 + 100
        for (int d = 6; d <= 9; d++) {                           // XYZ's one price is more than 4 days old
            expected.put(LocalDate.of(2024, 3, d), "no price: XYZ (USD)");
        }
        expected.put(TODAY, "1044");                             // the valuation's: 165 + 759 + 120
        assertThat(values(s)).isEqualTo(expected);
        assertThat(s.points().get(0).flow()).isEqualByComparingTo("1000");
        assertThat(s.points().get(1).flow()).isZero();
        assertThat(s.leftOut()).isEmpty();
        assertThat(s.points().get(5).accounts()).containsEntry(new ValueHistory.Account("broker", "ACC-1"),
                Optional.empty());

        // the next sync brings a buy on the 8th: only the account's days from the 8th are recomputed
        List<Transaction> more = new ArrayList<>(broker.transactions);
        more.add(trade("b2", "2024-03-08", TransactionType.BUY, "AAPL", "1", "158", "0"));
        broker.transactions = more;
        broker.holdings = List.of(holding("AAPL", "2", AssetClass.STOCK), holding("USD", "601", AssetClass.CASH),
                holding("XYZ", "10", AssetClass.STOCK));
        assertThat(sync.sync("broker").status()).isEqualTo(JobStatus.SUCCEEDED);
        ValueHistory.Update u = history.update();
        assertThat(u.jobs()).isEqualTo(1);
        assertThat(u.accounts()).isEqualTo(1);
        assertThat(u.rows()).as("AAPL and USD on the 8th").isEqualTo(2);
        assertThat(history.update().jobs()).as("nothing new").isZero();

        ValueHistory.Today now = today(broker.holdings, "330", "601", "120");
        Map<LocalDate, String> incremental = values(history.series(Optional.empty(), TODAY, "USD", market, now));
        assertThat(incremental).containsEntry(LocalDate.of(2024, 3, 5), "1019").containsEntry(TODAY, "1051");
        history.rebuild();
        assertThat(values(history.series(Optional.empty(), TODAY, "USD", market, now))).isEqualTo(incremental);
        // the market was asked once for AAPL's days, not again for the same days
        assertThat(market.asked.stream().filter(a -> a.startsWith("AAPL"))).hasSize(1);
    }
}
