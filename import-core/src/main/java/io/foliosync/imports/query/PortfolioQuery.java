package io.foliosync.imports.query;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.Holding;
import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.reconcile.LinkedTransfer;
import io.foliosync.imports.reconcile.TransferLink;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What one portfolio's database holds, read-only: accounts, holdings, transactions (in keyset pages), jobs,
 * reconciliation, transfers between the user's own accounts and the rejected records. Every list is a copy; every
 * call reads the database afresh (no call sees a half-written import: each import page is one transaction).
 *
 * <pre>{@code
 * PortfolioQuery q = folioSync.query();
 * TransactionPage page = q.transactions(TransactionPageQuery.firstPage(100));
 * while (page.next().isPresent()) {
 *     page = q.transactions(TransactionPageQuery.firstPage(100).after(page.next().get()));
 * }
 * }</pre>
 *
 * <p>A source argument is a source's id ({@code kraken}) where it names what a job synced, and a namespace (a
 * provider's name shared by its sources, {@code crypto_exchanges}, or a bank plugin's id) where it names stored
 * holdings, accounts and transactions; each method says which. Thread-safe.
 */
@API(status = STABLE, since = "0.1")
public interface PortfolioQuery {

    /**
     * @return where the data lives, for messages a user acts on: the SQLite file, or the database URL without
     *         credentials
     */
    String location();

    // ---- accounts and holdings ----

    /** @return the accounts of a namespace (every namespace's when empty), by namespace then account id */
    List<StoredAccount> accounts(Optional<String> sourceName);

    /**
     * @return the namespaces that hold holdings snapshots, sorted: a provider's name ({@code crypto_exchanges},
     *         {@code ibkr}) shared by its sources, or a bank plugin's id
     */
    List<String> holdingNamespaces();

    /**
     * @return the positions of every account's latest snapshot in a namespace (none for an account whose latest is
     *         empty)
     */
    List<Holding> latestHoldings(String sourceName);

    /** @return one account's holdings snapshots in a namespace, oldest first, empty ones included */
    List<HoldingSnapshot> holdingSnapshots(String sourceName, String accountId);

    // ---- transactions ----

    /**
     * @return one page of transactions matching the query's filters, newest first (trade date, then row), from
     *         where the query says; costs the same on the last page as on the first
     */
    TransactionPage transactions(TransactionPageQuery query);

    /** @return the source's transactions (every source's when empty), by date then record id */
    List<StoredTransaction> transactions(Optional<String> sourceName);

    /** @return one account's transactions in a namespace, by date then record id */
    List<StoredTransaction> transactions(String sourceName, String accountId);

    /** @return how many transactions the source holds (every source when empty) */
    long countTransactions(Optional<String> sourceName);

    // ---- jobs ----

    /** @return a source's jobs (every source's when empty), the newest first, at most {@code limit} */
    List<JobRecord> jobs(Optional<String> sourceName, int limit);

    // ---- reconciliation ----

    /** @return each account's latest reconciliation (every namespace's when empty), by namespace and account */
    List<AccountReconciliation> reconciliations(Optional<String> sourceName);

    /** @return the account's share of assets that reconciled at its latest check, when it was checked */
    Optional<BigDecimal> dataQualityScore(String sourceName, String accountId);

    /**
     * @param sourceName the account's namespace ({@code crypto_exchanges}, {@code ibkr}, a plugin id)
     * @return the id of the configured source whose job last synced the account (what {@code sync --source} and
     *         {@code repair --source} take: {@code kraken}, {@code ibkr-U1234567}), when a job did
     */
    Optional<String> syncedBy(String sourceName, String accountId);

    // ---- transfers between the user's own accounts ----

    /**
     * @return the linked transfers one of whose sides is in the namespace (every one when empty), one row per
     *         transfer with both its sides, by withdrawal time
     */
    List<LinkedTransfer> transfers(Optional<String> sourceName);

    /**
     * @return the stored links one of whose sides is in the namespace (every link when empty), oldest first;
     *         {@link io.foliosync.imports.reconcile.TransferLinks#of} turns them into a look-up for totals across
     *         accounts
     */
    List<TransferLink> transferLinks(Optional<String> sourceName);

    // ---- rejected records ----

    /** @return the quarantined records of a namespace (every one when empty), resolved ones included, newest first */
    List<QuarantineEntry> quarantine(Optional<String> sourceName);

    /**
     * @param source a source id ({@code ibkr-flex-1}) or a namespace ({@code ibkr}); every source when empty
     * @return the records still rejected, oldest first
     */
    List<QuarantineEntry> openQuarantine(Optional<String> source);

    /** @return the records the job rejected (for the first time or again) that are still rejected, as it read them */
    List<QuarantineEntry> rejectedBy(long jobId);

    /** @return what each sink last received of each account, by sink, namespace and account */
    List<SinkDelivery> sinkDeliveries();
}
