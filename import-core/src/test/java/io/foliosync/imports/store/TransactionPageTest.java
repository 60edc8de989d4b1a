package io.foliosync.imports.store;

import io.foliosync.imports.query.StoredTransaction;
import io.foliosync.imports.query.TransactionPage;
import io.foliosync.imports.query.TransactionPageQuery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.FakeConnector;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.TestStores;
import io.foliosync.imports.Tx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The transaction listing paged by key (trade date, then row), with its filters, on SQLite and PostgreSQL. */
class TransactionPageTest {
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

    /** 25 Kraken trades over 5 days (5 a day, so dates tie) and 5 Binance dividends, imported the usual way. */
    private PortfolioStore storeWithHistory(Backend backend) {
        PortfolioStore store = open.store(TestDatabases.settings(backend, dir));
        FakeConnector kraken = new FakeConnector("kraken");
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            txs.add(Tx.buy("kraken", "K" + i, (i / 5) * 1440 + i).symbol(i % 2 == 0 ? "BTC" : "ETH").build());
        }
        kraken.transactions = txs;
        FakeConnector binance = new FakeConnector("binance");
        List<Transaction> dividends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            dividends.add(Tx.dividend("binance", i * 1440 + 30));
        }
        binance.transactions = dividends;
        ImportOrchestrator o = ImportOrchestrator.builder(store).addConnector(kraken)
                .addConnector(binance).build();
        open.add(o);
        assertThat(o.syncAll().allSucceeded()).isTrue();
        return store;
    }

    private static List<StoredTransaction> all(PortfolioStore store, TransactionPageQuery first) {
        List<StoredTransaction> out = new ArrayList<>();
        TransactionPageQuery q = first;
        for (int pages = 0; pages < 100; pages++) {
            TransactionPage page = store.transactions(q);
            out.addAll(page.rows());
            if (page.next().isEmpty()) {
                return out;
            }
            q = q.after(page.next().get());
        }
        throw new AssertionError("more than 100 pages: the key does not advance");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void pagingByKeyVisitsEveryRowOnceNewestTradeDateFirst(Backend backend) {
        PortfolioStore store = storeWithHistory(backend);
        List<StoredTransaction> rows = all(store, TransactionPageQuery.firstPage(7));

        assertThat(rows).hasSize(30);
        assertThat(new HashSet<>(rows.stream().map(s -> s.sourceName() + "/" + s.recordId()).toList())).hasSize(30);
        List<LocalDate> dates = rows.stream().map(s -> s.transaction().tradeDate()).toList();
        for (int i = 1; i < dates.size(); i++) {
            assertThat(dates.get(i)).isBeforeOrEqualTo(dates.get(i - 1));
        }
        assertThat(dates.get(0)).isEqualTo(Tx.T0.plus(Duration.ofDays(4)).atZone(ZoneOffset.UTC).toLocalDate());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void filtersNarrowEveryPage(Backend backend) {
        PortfolioStore store = storeWithHistory(backend);
        TransactionPageQuery kraken = new TransactionPageQuery(Optional.of("kraken"), Optional.empty(), Optional.of("btc"),
                Optional.of(TransactionType.BUY), Optional.empty(), Optional.empty(), Optional.empty(), 4);
        List<StoredTransaction> btc = all(store, kraken);
        assertThat(btc).hasSize(13).allSatisfy(s -> {
            assertThat(s.sourceName()).isEqualTo("kraken");
            assertThat(s.transaction().symbol()).contains("BTC");
        });

        LocalDate day2 = Tx.T0.plus(Duration.ofDays(1)).atZone(ZoneOffset.UTC).toLocalDate();
        TransactionPageQuery oneDay = new TransactionPageQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(day2), Optional.of(day2), Optional.empty(), 10);
        assertThat(all(store, oneDay)).hasSize(6).allSatisfy(s ->
                assertThat(s.transaction().tradeDate()).isEqualTo(day2));
        assertThat(all(store, new TransactionPageQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(TransactionType.DIVIDEND), Optional.empty(), Optional.empty(), Optional.empty(), 10)))
                .hasSize(5);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theLastPageSaysThereIsNoNext(Backend backend) {
        PortfolioStore store = storeWithHistory(backend);
        TransactionPage exact = store.transactions(TransactionPageQuery.firstPage(30));
        assertThat(exact.rows()).hasSize(30);
        assertThat(exact.next()).isEmpty();
        TransactionPage partial = store.transactions(TransactionPageQuery.firstPage(29));
        assertThat(partial.next()).isPresent();
        assertThat(store.transactions(TransactionPageQuery.firstPage(29).after(partial.next().get())).rows()).hasSize(1);
    }

    @Test
    void aPageSizeOutsideOneToAThousandIsRefused() {
        assertThatThrownBy(() -> TransactionPageQuery.firstPage(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> TransactionPageQuery.firstPage(1001)).isInstanceOf(IllegalArgumentException.class);
    }
}
