package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.query.StoredTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The idempotency check against a throwaway PostgreSQL server in Docker. Skipped (not failed) where no Docker
 * engine runs; {@link ImportPipelineTest} covers PostgreSQL through the server at 127.0.0.1:5432 instead.
 */
@Testcontainers(disabledWithoutDocker = true)
class PostgresContainerTest {
    @Container
    static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:16-alpine");

    @Test
    void importingTheSameHistoryTwiceWritesNothingTheSecondTime() {
        DatabaseSettings settings = DatabaseSettings.postgres(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(),
                Optional.of(Secret.of(POSTGRES.getPassword())));
        FakeConnector kraken = new FakeConnector("kraken");
        List<Transaction> history = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            history.add(i % 3 == 2 ? Tx.dividend("kraken", i) : Tx.buy("kraken", "T" + i, i).build());
        }
        kraken.transactions = history;
        kraken.ignoreSince = true;
        try (PortfolioStore store = PortfolioStore.open(settings);
             ImportOrchestrator sync = ImportOrchestrator.builder(store)
                     .addConnector(kraken).build()) {
            JobResult first = sync.sync("kraken");
            List<StoredTransaction> afterFirst = store.transactions(Optional.of("kraken"));
            JobResult second = sync.sync("kraken");

            assertThat(first.counts()).isEqualTo(new ImportCounts(10, 0, 0, 0));
            assertThat(second.counts()).isEqualTo(new ImportCounts(0, 0, 10, 0));
            assertThat(store.transactions(Optional.of("kraken"))).isEqualTo(afterFirst).hasSize(10);
        }
    }
}
