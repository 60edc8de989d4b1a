package io.foliosync.examples.cli;

import static io.foliosync.examples.cli.ShadedJar.count;
import static io.foliosync.examples.cli.ShadedJar.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Account;
import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two accounts of one exchange in one configuration, run through the shaded jar as a process: whatever goes wrong
 * with one account stays with that account, and a later run completes it without duplicates.
 */
class FailingKrakenAccountJarTest {
    private static final String SECRET_1 = Base64.getEncoder().encodeToString("first-account-secret".getBytes());
    private static final String SECRET_2 = Base64.getEncoder().encodeToString("second-account-secret".getBytes());

    @TempDir
    Path dir;

    FakeKraken first;
    FakeKraken second;
    Path db;
    Path config;

    @BeforeEach
    void twoAccounts() throws Exception {
        first = new FakeKraken("K1", 3, 1, 50);
        // pages of 3: 3 trade pages and 2 ledger pages
        second = new FakeKraken("K2", 8, 5, 3);
        db = dir.resolve("foliosync.db");
        config = ShadedJar.config(dir, "two-krakens.yaml", db,
                new Account("kraken", "first-api-key", SECRET_1, first),
                new Account("kraken_2", "second-api-key", SECRET_2, second));
    }

    @AfterEach
    void stopServers() {
        first.close();
        second.close();
    }

    @Test
    void twoAccountsOfOneExchangeOneUnreachableThenBack() throws Exception {
        second.mode(FakeKraken.Mode.UNAVAILABLE);

        Run down = ShadedJar.sync(config);

        assertThat(down.exit()).as(down.output()).isEqualTo(1);
        assertThat(down.line("kraken_2")).contains("failed").contains("503");
        assertThat(down.line("kraken")).contains("succeeded");
        assertThat(down.imported("kraken")).as(down.output()).isEqualTo(first.records());
        assertThat(storedIds("K2")).isEmpty();
        assertThat(storedIds("K1")).hasSize(first.records());
        assertThat(count(db, "SELECT COUNT(*) FROM sync_cursors WHERE source_name = 'kraken_2'")).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM sync_cursors WHERE source_name = 'kraken'")).isPositive();

        second.mode(FakeKraken.Mode.SERVING);
        Run back = ShadedJar.sync(config);

        assertThat(back.exit()).as(back.output()).isZero();
        assertThat(back.imported("kraken_2")).as(back.output()).isEqualTo(second.records());
        assertThat(back.imported("kraken")).as(back.output()).isZero();
        assertThat(storedIds("K2")).hasSize(second.records()).doesNotHaveDuplicates();
        assertThat(storedIds("K1")).hasSize(first.records());
        assertThat(count(db, "SELECT COUNT(*) FROM sync_cursors WHERE source_name = 'kraken_2'")).isPositive();
    }

    @Test
    void oneAccountsCredentialsRefusedFailsOnlyThatAccount() throws Exception {
        second.mode(FakeKraken.Mode.INVALID_KEY);

        Run refused = ShadedJar.sync(config);

        assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
        assertThat(refused.line("kraken_2")).contains("failed").contains("EAPI:Invalid key")
                .contains("crypto_exchanges.kraken_2.api_key");
        assertThat(refused.line("kraken")).contains("succeeded");
        assertThat(refused.imported("kraken")).isEqualTo(first.records());
        assertThat(refused.output()).doesNotContain(SECRET_1, SECRET_2);
        assertThat(storedIds("K2")).isEmpty();
    }

    @Test
    void aMalformedPageMidHistoryFailsTheAccountKeepsEarlierPagesAndTheRerunCompletesIt() throws Exception {
        second.malformedLedgerPageAt(3); // the ledger's second page, after every trade page and one ledger page

        Run broken = ShadedJar.sync(config);

        assertThat(broken.exit()).as(broken.output()).isEqualTo(1);
        assertThat(broken.line("kraken_2")).contains("failed").contains("Ledgers");
        assertThat(broken.line("kraken")).contains("succeeded");
        assertThat(storedIds("K2")).as("every trade and the ledger's first page").hasSize(second.trades() + 3);
        assertThat(count(db, "SELECT COUNT(*) FROM sync_cursors WHERE source_name = 'kraken_2'")).isZero();

        second.malformedLedgerPageAt(-1);
        Run rerun = ShadedJar.sync(config);

        assertThat(rerun.exit()).as(rerun.output()).isZero();
        assertThat(rerun.imported("kraken_2")).as(rerun.output()).isEqualTo(second.deposits() - 3);
        assertThat(storedIds("K2")).hasSize(second.records()).doesNotHaveDuplicates();
        assertThat(count(db, "SELECT COUNT(*) FROM transactions")).isEqualTo(first.records() + second.records());
    }

    /** @return the source ids of the stored records whose ids carry {@code prefix}, the server's own */
    private List<String> storedIds(String prefix) throws Exception {
        return query(db, "SELECT source_id, account_id FROM transactions WHERE source_id LIKE '%" + prefix + "-%'")
                .stream().map(r -> r.get("source_id") + "@" + r.get("account_id")).toList();
    }
}
