package io.foliosync.imports.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.imports.FakeConnector;
import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.TestStores;
import io.foliosync.imports.config.DatabaseSettings;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Holdings snapshots: written once per change, emptied per account, and migrated from before V2. */
class HoldingSnapshotsTest {
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

    private PortfolioStore store(DatabaseSettings settings) {
        return open.store(settings);
    }

    private ImportOrchestrator.Builder orchestrator(PortfolioStore store, FakeConnector... connectors) {
        ImportOrchestrator.Builder b = ImportOrchestrator.builder(store);
        for (FakeConnector c : connectors) {
            b.addConnector(c);
        }
        return b;
    }

    private ImportOrchestrator build(ImportOrchestrator.Builder b) {
        ImportOrchestrator o = b.build();
        open.add(o);
        return o;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void holdingsSnapshotIsWrittenOncePerChangeAndReadBack(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector src = new FakeConnector("ibkr");
        src.holdings = List.of(io.foliosync.connectors.api.Holding.builder().symbol("BRK B").quantity(BigDecimal.TEN)
                .currentPrice(new BigDecimal("410.5")).currency("USD").accountId("ACC-1")
                .assetClass(io.foliosync.connectors.api.AssetClass.STOCK).source("ibkr").build());
        ImportOrchestrator sync = build(orchestrator(store, src));

        assertThat(sync.sync("ibkr").holdings()).isEqualTo(1);
        assertThat(sync.sync("ibkr").holdings()).isZero();
        assertThat(store.latestHoldings("ibkr")).singleElement().satisfies(h -> {
            assertThat(h.symbol()).isEqualTo("BRK.B");
            assertThat(h.quantity()).isEqualByComparingTo("10");
        });
    }

    private static io.foliosync.connectors.api.Holding holding(String account, String symbol, String qty) {
        return io.foliosync.connectors.api.Holding.builder().symbol(symbol).quantity(new BigDecimal(qty))
                .currency("USD").accountId(account).assetClass(io.foliosync.connectors.api.AssetClass.STOCK)
                .source("ibkr").build();
    }

    private static long snapshotRows(PortfolioStore store) {
        return ((JdbcPortfolioStore) store).read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM holding_snapshots")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void accountWhoseHoldingsBecomeEmptyIsRecordedEmptyOnceAndOtherAccountsStay(Backend backend) {
        PortfolioStore store = store(backend);
        FakeConnector src = new FakeConnector("ibkr");
        src.holdings = List.of(holding("ACC-1", "AAPL", "5"), holding("ACC-2", "MSFT", "7"));
        ImportOrchestrator sync = build(orchestrator(store, src));
        assertThat(sync.sync("ibkr").holdings()).isEqualTo(2);

        src.holdings = List.of(holding("ACC-2", "MSFT", "7")); // ACC-1 sold everything
        assertThat(sync.sync("ibkr").holdings()).isZero();
        assertThat(store.latestHoldings("ibkr")).extracting(h -> h.accountId() + " " + h.symbol())
                .containsExactly("ACC-2 MSFT");
        long afterEmptied = snapshotRows(store);

        assertThat(sync.sync("ibkr").holdings()).isZero();
        assertThat(snapshotRows(store)).as("the same empty position is not recorded twice").isEqualTo(afterEmptied);

        src.holdings = List.of(); // the source holds nothing at all
        sync.sync("ibkr");
        assertThat(store.latestHoldings("ibkr")).isEmpty();
        long allEmpty = snapshotRows(store);
        sync.sync("ibkr");
        assertThat(snapshotRows(store)).isEqualTo(allEmpty);

        src.holdings = List.of(holding("ACC-1", "AAPL", "1"));
        assertThat(sync.sync("ibkr").holdings()).isEqualTo(1);
        assertThat(store.latestHoldings("ibkr")).singleElement().satisfies(h -> {
            assertThat(h.accountId()).isEqualTo("ACC-1");
            assertThat(h.quantity()).isEqualByComparingTo("1");
        });
    }

    @org.junit.jupiter.api.Test
    void holdingsWrittenBeforeTheSnapshotTableAreMigratedToIt() throws Exception {
        DatabaseSettings settings = DatabaseSettings.sqlite(dir.resolve("old.db"));
        try (var ds = new com.zaxxer.hikari.HikariDataSource()) {
            ds.setJdbcUrl(settings.jdbcUrl());
            org.flywaydb.core.Flyway.configure().dataSource(ds).locations("classpath:db/migration/foliosync")
                    .placeholders(SqlDialect.SQLITE.placeholders()).target("1").load().migrate();
            try (var c = ds.getConnection(); var st = c.createStatement()) {
                st.execute("INSERT INTO import_jobs (source_type, source_name, status, started_at) VALUES "
                        + "('broker', 'ibkr', 'succeeded', '2024-01-01T00:00:00.000000Z'), "
                        + "('broker', 'ibkr', 'succeeded', '2024-01-02T00:00:00.000000Z')");
                String cols = "INSERT INTO holdings (job_id, source_type, source_name, account_id, as_of, symbol, "
                        + "quantity, currency, asset_class, attributes, snapshot_hash) VALUES ";
                st.execute(cols + "(1, 'broker', 'ibkr', 'ACC-1', '2024-01-01T00:00:00.000000Z', 'AAPL', '5', 'USD', "
                        + "'STOCK', '{}', 'h1'), (2, 'broker', 'ibkr', 'ACC-1', '2024-01-02T00:00:00.000000Z', "
                        + "'AAPL', '6', 'USD', 'STOCK', '{}', 'h2')");
            }
        }

        PortfolioStore store = store(settings);

        assertThat(store.latestHoldings("ibkr")).singleElement()
                .satisfies(h -> assertThat(h.quantity()).isEqualByComparingTo("6"));
        assertThat(snapshotRows(store)).isEqualTo(2);
    }
}
