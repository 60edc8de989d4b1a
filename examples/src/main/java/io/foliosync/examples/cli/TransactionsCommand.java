package io.foliosync.examples.cli;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.reconcile.TransferLinks;
import io.foliosync.imports.query.StoredTransaction;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists stored transactions, newest first. */
@Command(name = "transactions", mixinStandardHelpOptions = true,
        description = "Lists transactions from the database, newest first.")
final class TransactionsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    QueryOptions query;

    @Option(names = {"-n", "--limit"}, defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}; 0 for all).")
    int limit;

    @Option(names = "--flows", description = "Instead of the list: per asset, what was deposited and withdrawn across "
            + "the selected accounts, and the net. A transfer between two selected accounts of yours (see "
            + "`foliosync transfers`) is left out: it is counted once, as no flow.")
    boolean flows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            // a store name is read directly; a source id of the configuration (kraken) is matched record by record
            boolean storeName = query.source != null && ws.query().holdingNamespaces().contains(query.source);
            List<StoredTransaction> matching = ws.query().transactions(storeName ? Optional.of(query.source)
                            : Optional.empty()).stream()
                    .filter(s -> query.matches(s.sourceName(), s.transaction().accountId(),
                            s.transaction().symbol().orElse(""), s.transaction().tradeDate()))
                    // newest first by the date the listing shows (the trade date; a posting can come days
                    // later, as with Schwab's "as of"), then by time and id so equal dates list the same each run
                    .sorted(Comparator.comparing((StoredTransaction s) -> s.transaction().tradeDate())
                            .thenComparing(s -> s.transaction().date())
                            .thenComparing(StoredTransaction::recordId).reversed())
                    .limit(flows || limit <= 0 ? Long.MAX_VALUE : limit)
                    .toList();
            if (flows) {
                printFlows(out, matching, TransferLinks.read(ws.query()), query.format, query.raw);
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (StoredTransaction s : matching) {
                Transaction t = s.transaction();
                rows.add(Arrays.asList(t.tradeDate().toString(), s.sourceName(), t.accountId(), t.type().name(),
                        t.symbol().orElse(""), t.quantity(), t.price().orElse(null), t.amount(), t.currency(),
                        t.fees(), s.recordId(), t.description().orElse("")));
            }
            query.format.print(out, List.of("date", "source", "account", "type", "symbol", "quantity", "price",
                    "amount", "currency", "fees", "id", "description"), rows, query.raw);
            return 0;
        }
    }

    /**
     * Deposits and withdrawals per asset across the records. A linked transfer whose two legs are both among them is
     * left out (it moved money between the user's accounts, not in or out); one whose other leg is outside the
     * selection stays, as it is a real flow for the accounts selected.
     */
    static void printFlows(PrintWriter out, List<StoredTransaction> records, TransferLinks links, OutputFormat format,
                           boolean raw) {
        java.util.Set<List<String>> selected = new java.util.HashSet<>();
        records.forEach(s -> selected.add(List.of(s.sourceName(), s.transaction().accountId(), s.recordId())));
        java.util.Map<String, BigDecimal[]> perAsset = new java.util.TreeMap<>();
        java.util.Set<io.foliosync.imports.reconcile.TransferLink> internal = new java.util.HashSet<>();
        for (StoredTransaction s : records) {
            Transaction t = s.transaction();
            boolean in = t.type() == TransactionType.DEPOSIT || t.type() == TransactionType.TRANSFER_IN;
            boolean outflow = t.type() == TransactionType.WITHDRAWAL || t.type() == TransactionType.TRANSFER_OUT;
            if (!in && !outflow) {
                continue;
            }
            Optional<io.foliosync.imports.reconcile.TransferLink> link = links.linkOf(s);
            if (link.isPresent() && selected.contains(List.of(link.get().outSourceName(), link.get().outAccountId(),
                    link.get().outSourceId())) && selected.contains(List.of(link.get().inSourceName(),
                    link.get().inAccountId(), link.get().inSourceId()))) {
                internal.add(link.get());
                continue;
            }
            String asset = t.symbol().orElse(t.currency());
            BigDecimal q = t.symbol().isPresent() ? t.quantity() : t.amount();
            BigDecimal[] sums = perAsset.computeIfAbsent(asset, k -> new BigDecimal[] {BigDecimal.ZERO,
                BigDecimal.ZERO});
            sums[in ? 0 : 1] = sums[in ? 0 : 1].add(q);
        }
        List<List<Object>> rows = new ArrayList<>();
        perAsset.forEach((asset, sums) -> rows.add(Arrays.asList(asset, OutputFormat.number(sums[0]),
                OutputFormat.number(sums[1]), OutputFormat.number(sums[0].subtract(sums[1])))));
        format.print(out, List.of("asset", "deposited", "withdrawn", "net"), rows, raw);
        if (format == OutputFormat.TABLE && !internal.isEmpty()) {
            out.println(internal.size() + " transfer(s) between your own accounts left out (counted once, as no flow; "
                    + "`foliosync transfers`)");
        }
        out.flush();
    }
}
