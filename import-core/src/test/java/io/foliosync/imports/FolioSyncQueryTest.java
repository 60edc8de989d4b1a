package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.query.JobRecord;
import io.foliosync.imports.query.PortfolioQuery;
import io.foliosync.imports.query.StoredAccount;
import io.foliosync.imports.query.StoredTransaction;
import io.foliosync.imports.query.TransactionPage;
import io.foliosync.imports.query.TransactionPageQuery;
import io.foliosync.imports.store.PortfolioStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read side an application gets from {@link FolioSync#query()}: what a sync stored, and no way to write. */
class FolioSyncQueryTest {
    @TempDir
    Path dir;

    private FolioSync folioSync(FakeConnector source) {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        return FolioSync.builder()
                .environment(Map.of(MasterKey.ENV, key))
                .dotEnv(Optional.empty())
                .providers(List.of())
                .database(DatabaseSettings.sqlite(dir.resolve("foliosync.db")))
                .addConnector(source)
                .build();
    }

    @Test
    void readsWhatASyncStoredAccountsTransactionsInKeysetPagesAndJobs() {
        FakeConnector broker = new FakeConnector("broker");
        broker.transactions = IntStream.range(0, 7).mapToObj(i -> Tx.dividend("broker", i)).toList();
        try (FolioSync fs = folioSync(broker)) {
            assertThat(fs.sync("broker").status()).isEqualTo(JobStatus.SUCCEEDED);
            PortfolioQuery q = fs.query();

            List<StoredAccount> accounts = q.accounts(Optional.empty());
            assertThat(accounts).singleElement().satisfies(a -> {
                assertThat(a.sourceName()).isEqualTo("broker");
                assertThat(a.account().accountId()).isEqualTo("ACC-1");
                assertThat(a.account().type()).isEqualTo(AccountType.BROKERAGE);
                assertThat(a.lastSyncedAt()).isPresent();
            });
            assertThat(q.accounts(Optional.of("elsewhere"))).isEmpty();

            List<StoredTransaction> paged = new ArrayList<>();
            TransactionPageQuery first = TransactionPageQuery.firstPage(3);
            TransactionPage page = q.transactions(first);
            paged.addAll(page.rows());
            while (page.next().isPresent()) {
                page = q.transactions(first.after(page.next().get()));
                paged.addAll(page.rows());
            }
            assertThat(paged).hasSize(7).doesNotHaveDuplicates();
            assertThat(q.countTransactions(Optional.of("broker"))).isEqualTo(7);

            List<JobRecord> jobs = q.jobs(Optional.of("broker"), 10);
            assertThat(jobs).singleElement().satisfies(j -> assertThat(j.counts().imported()).isEqualTo(7));
        }
    }

    @Test
    void theReadSideIsNotTheStoreSoNoCastReachesItsWrites() {
        try (FolioSync fs = folioSync(new FakeConnector("broker"))) {
            assertThat(fs.query()).isNotInstanceOf(PortfolioStore.class).isNotInstanceOf(AutoCloseable.class);
            assertThat(PortfolioQuery.class.getMethods()).extracting(m -> m.getName())
                    .noneMatch(n -> n.startsWith("save") || n.startsWith("start") || n.startsWith("finish")
                            || n.equals("close"));
        }
    }
}
