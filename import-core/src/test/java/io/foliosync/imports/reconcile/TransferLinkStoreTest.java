package io.foliosync.imports.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.FakeConnector;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.TestStores;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.query.StoredTransaction;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Transfers between the user's own accounts linked after each succeeded sync, on SQLite and PostgreSQL. */
class TransferLinkStoreTest {
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

    private ImportOrchestrator orchestrator(PortfolioStore store, Duration window, FakeConnector... connectors) {
        ImportOrchestrator.Builder b = ImportOrchestrator.builder(store)
                .transferLinkWindow(window);
        for (FakeConnector c : connectors) {
            b.addConnector(c);
        }
        ImportOrchestrator o = b.build();
        open.add(o);
        return o;
    }

    private ImportOrchestrator orchestrator(PortfolioStore store, FakeConnector... connectors) {
        return orchestrator(store, TransferLinker.DEFAULT_WINDOW, connectors);
    }

    private static FakeConnector exchange(String id, String account, Transaction... txs) {
        FakeConnector c = new FakeConnector(id);
        c.type = ConnectorType.CRYPTO_EXCHANGE;
        c.accountId = account;
        c.transactions = List.of(txs);
        return c;
    }

    private static Transaction move(String source, String account, TransactionType type, String id, Duration after,
                                    String symbol, String qty, String fee, String networkTxId) {
        Transaction.Builder b = Transaction.builder().date(T0.plus(after)).symbol(symbol).type(type)
                .quantity(new BigDecimal(qty)).amount(BigDecimal.ZERO).currency("USD")
                .fees(new BigDecimal(fee)).feeCurrency(fee.equals("0") ? null : symbol)
                .sourceId(id).accountId(account).source(source);
        if (networkTxId != null) {
            b.attribute("network_tx_id", networkTxId);
        }
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sameNetworkTxIdIsLinkedOnceAcrossExchangesAndCountedOnce(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector binance = exchange("binance", "B-1",
                move("binance", "B-1", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "BTC", "0.5", "0.0005",
                        " 0xABCdef "),
                move("binance", "B-1", TransactionType.DEPOSIT, "d0", Duration.ofDays(-3), "BTC", "1", "0", null));
        FakeConnector kraken = exchange("kraken", "K-1",
                // same amount, nearer in time, no tx id: the tx id wins
                move("kraken", "K-1", TransactionType.DEPOSIT, "decoy", Duration.ofMinutes(10), "BTC", "0.4995", "0",
                        null),
                move("kraken", "K-1", TransactionType.DEPOSIT, "d1", Duration.ofHours(2), "BTC", "0.4995", "0",
                        "0xabcDEF"));
        ImportOrchestrator sync = orchestrator(store, binance, kraken);

        io.foliosync.imports.JobResult first = sync.sync("binance");
        assertThat(first.succeeded()).isTrue();
        assertThat(first.transferLinks()).isEmpty();
        assertThat(store.transferLinks()).isEmpty();
        // the other side arrives with a later sync of another account: that job's result carries the link
        io.foliosync.imports.JobResult second = sync.sync("kraken");
        assertThat(second.succeeded()).isTrue();
        assertThat(second.transferLinks()).singleElement()
                .satisfies(l -> assertThat(l.inSourceId()).isEqualTo("d1"));

        assertThat(store.transferLinks()).singleElement().satisfies(l -> {
            assertThat(l.method()).isEqualTo(TransferLinkMethod.NETWORK_TX_ID);
            assertThat(List.of(l.outSourceName(), l.outAccountId(), l.outSourceId()))
                    .containsExactly("binance", "B-1", "w1");
            assertThat(List.of(l.inSourceName(), l.inAccountId(), l.inSourceId()))
                    .containsExactly("kraken", "K-1", "d1");
            assertThat(l.symbol()).isEqualTo("BTC");
            assertThat(l.quantity()).isEqualByComparingTo("0.5");
        });
        assertThat(store.transfers(Optional.of("kraken"))).singleElement().satisfies(t -> {
            assertThat(t.withdrawal().recordId()).isEqualTo("w1");
            assertThat(t.deposit().recordId()).isEqualTo("d1");
            assertThat(t.sent()).isEqualByComparingTo("0.5");
            assertThat(t.received()).isEqualByComparingTo("0.4995");
        });

        // counted once across accounts: the two legs leave the flows, the decoy and the first deposit stay
        TransferLinks links = TransferLinks.read(store);
        assertThat(links.size()).isEqualTo(1);
        List<StoredTransaction> flows = links.withoutLinkedLegs(store.transactions(Optional.empty()));
        assertThat(flows).extracting(StoredTransaction::recordId).containsExactlyInAnyOrder("d0", "decoy");

        // re-running both syncs (the whole history again) links nothing new
        binance.ignoreSince = true;
        kraken.ignoreSince = true;
        assertThat(sync.syncAll().transferLinks()).isEmpty();
        assertThat(store.transferLinks()).hasSize(1);
        assertThat(store.unlinkedTransfers()).extracting(StoredTransaction::recordId)
                .containsExactlyInAnyOrder("d0", "decoy");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sameAssetAndAmountLessTheFeeWithinTheWindowIsLinked(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector a = exchange("kraken", "K-1",
                move("kraken", "K-1", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "ETH", "2.0", "0.005", null));
        FakeConnector b = exchange("coinbase", "C-1",
                move("coinbase", "C-1", TransactionType.DEPOSIT, "d1", Duration.ofHours(3), "ETH", "1.995", "0",
                        null));
        ImportOrchestrator sync = orchestrator(store, a, b);
        sync.sync("kraken");
        sync.sync("coinbase");

        assertThat(store.transferLinks()).singleElement().satisfies(l -> {
            assertThat(l.method()).isEqualTo(TransferLinkMethod.AMOUNT_WINDOW);
            assertThat(l.outSourceId()).isEqualTo("w1");
            assertThat(l.inSourceId()).isEqualTo("d1");
        });
        sync.sync("coinbase");
        assertThat(store.transferLinks()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void depositOutsideTheWindowIsNotLinkedUnlessTheWindowIsWider(Backend backend) {
        FakeConnector a = exchange("kraken", "K-1",
                move("kraken", "K-1", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "ETH", "2.0", "0", null));
        FakeConnector b = exchange("coinbase", "C-1",
                move("coinbase", "C-1", TransactionType.DEPOSIT, "d1", Duration.ofHours(49), "ETH", "2.0", "0",
                        null));
        PortfolioStore store = store(backend);
        ImportOrchestrator sync = orchestrator(store, a, b);
        sync.sync("kraken");
        sync.sync("coinbase");
        assertThat(store.transferLinks()).isEmpty();

        ImportOrchestrator wider = orchestrator(store, Duration.ofHours(72), a, b);
        a.ignoreSince = true;
        wider.sync("kraken");
        assertThat(store.transferLinks()).singleElement()
                .satisfies(l -> assertThat(l.method()).isEqualTo(TransferLinkMethod.AMOUNT_WINDOW));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void windowFromTheConfigurationsGlobalSectionDecidesTheLink(Backend backend) throws Exception {
        Path yaml = java.nio.file.Files.writeString(dir.resolve("window.yaml"), """
                global:
                  transfer_link_window: 72h
                """);
        io.foliosync.imports.config.GlobalSettings global = io.foliosync.imports.config.DataSourcesConfig
                .load(yaml, java.util.Map.of(), Optional.empty()).global();
        FakeConnector a = exchange("kraken", "K-1",
                move("kraken", "K-1", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "ETH", "2.0", "0", null));
        FakeConnector b = exchange("coinbase", "C-1",
                move("coinbase", "C-1", TransactionType.DEPOSIT, "d1", Duration.ofHours(49), "ETH", "2.0", "0",
                        null));
        PortfolioStore store = store(backend);
        ImportOrchestrator o = ImportOrchestrator.builder(store).settings(global)
                .addConnector(a).addConnector(b).build();
        open.add(o);
        o.sync("kraken");
        // 49 hours after the withdrawal: outside the default 48, inside the configured 72
        assertThat(o.sync("coinbase").transferLinks()).singleElement()
                .satisfies(l -> assertThat(l.outSourceId()).isEqualTo("w1"));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void twoEquallyGoodCandidatesAreNotLinked(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector a = exchange("kraken", "K-1",
                move("kraken", "K-1", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "SOL", "10", "0", null));
        FakeConnector b = exchange("coinbase", "C-1",
                move("coinbase", "C-1", TransactionType.DEPOSIT, "d1", Duration.ofHours(1), "SOL", "10", "0", null));
        FakeConnector c = exchange("binance", "B-1",
                move("binance", "B-1", TransactionType.TRANSFER_IN, "d2", Duration.ofHours(1), "SOL", "10", "0",
                        null));
        ImportOrchestrator sync = orchestrator(store, a, b, c);
        // both deposits are stored when the withdrawal arrives (a link made before the second candidate was
        // synced is kept: linking sees what is stored)
        sync.sync("coinbase");
        sync.sync("binance");
        sync.sync("kraken");

        assertThat(store.transferLinks()).isEmpty();
        assertThat(store.unlinkedTransfers()).hasSize(3);
    }

    @Test
    void theWindowIsValidated() {
        ReconciliationTolerances t = ReconciliationTolerances.defaults();
        assertThatThrownBy(() -> new TransferLinker(Duration.ZERO, t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferLinker(Duration.ofHours(-1), t))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransferLinker(Duration.ofDays(31), t))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("30 days");
        assertThat(new TransferLinker(Duration.ofDays(30), t).window()).isEqualTo(Duration.ofDays(30));
    }
}
