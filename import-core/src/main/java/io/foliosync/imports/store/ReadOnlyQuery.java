package io.foliosync.imports.store;

import io.foliosync.connectors.api.Holding;
import io.foliosync.imports.query.HoldingSnapshot;
import io.foliosync.imports.query.JobRecord;
import io.foliosync.imports.query.PortfolioQuery;
import io.foliosync.imports.query.QuarantineEntry;
import io.foliosync.imports.query.StoredAccount;
import io.foliosync.imports.query.StoredTransaction;
import io.foliosync.imports.query.TransactionPage;
import io.foliosync.imports.query.TransactionPageQuery;
import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.reconcile.LinkedTransfer;
import io.foliosync.imports.reconcile.TransferLink;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A store's reads behind a type of their own: handing out the store itself would let a cast reach
 * {@code saveTransactions} and the other writes the importer alone may call.
 */
final class ReadOnlyQuery implements PortfolioQuery {
    private final PortfolioStore store;

    ReadOnlyQuery(PortfolioStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public String location() {
        return store.location();
    }

    @Override
    public List<StoredAccount> accounts(Optional<String> sourceName) {
        return store.accounts(sourceName);
    }

    @Override
    public List<String> holdingNamespaces() {
        return store.holdingNamespaces();
    }

    @Override
    public List<Holding> latestHoldings(String sourceName) {
        return store.latestHoldings(sourceName);
    }

    @Override
    public List<HoldingSnapshot> holdingSnapshots(String sourceName, String accountId) {
        return store.holdingSnapshots(sourceName, accountId);
    }

    @Override
    public TransactionPage transactions(TransactionPageQuery query) {
        return store.transactions(query);
    }

    @Override
    public List<StoredTransaction> transactions(Optional<String> sourceName) {
        return store.transactions(sourceName);
    }

    @Override
    public List<StoredTransaction> transactions(String sourceName, String accountId) {
        return store.transactions(sourceName, accountId);
    }

    @Override
    public long countTransactions(Optional<String> sourceName) {
        return store.countTransactions(sourceName);
    }

    @Override
    public List<JobRecord> jobs(Optional<String> sourceName, int limit) {
        return store.jobs(sourceName, limit);
    }

    @Override
    public List<AccountReconciliation> reconciliations(Optional<String> sourceName) {
        return store.reconciliations(sourceName);
    }

    @Override
    public Optional<BigDecimal> dataQualityScore(String sourceName, String accountId) {
        return store.dataQualityScore(sourceName, accountId);
    }

    @Override
    public List<LinkedTransfer> transfers(Optional<String> sourceName) {
        return store.transfers(sourceName);
    }

    @Override
    public List<TransferLink> transferLinks(Optional<String> sourceName) {
        return store.transferLinks(sourceName);
    }

    @Override
    public List<QuarantineEntry> quarantine(Optional<String> sourceName) {
        return store.quarantine(sourceName);
    }

    @Override
    public List<QuarantineEntry> openQuarantine(Optional<String> source) {
        return store.openQuarantine(source);
    }

    @Override
    public List<QuarantineEntry> rejectedBy(long jobId) {
        return store.rejectedBy(jobId);
    }

    @Override
    public String toString() {
        return "PortfolioQuery[" + store.location() + "]";
    }

    @Override
    public Optional<String> syncedBy(String sourceName, String accountId) {
        return store.syncedBy(sourceName, accountId);
    }

    @Override
    public List<io.foliosync.imports.query.SinkDelivery> sinkDeliveries() {
        return store.sinkDeliveries();
    }
}
