package io.foliosync.examples.cli;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.store.StoredTransaction;
import java.io.PrintWriter;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            List<StoredTransaction> matching = ws.store().transactions(Optional.ofNullable(query.source)).stream()
                    .filter(s -> query.matches(s.sourceName(), s.transaction().accountId(),
                            s.transaction().symbol().orElse(""), s.transaction().tradeDate()))
                    // newest first by the date the listing shows (the trade date; a posting can come days
                    // later, as with Schwab's "as of"), then by time and id so equal dates list the same each run
                    .sorted(Comparator.comparing((StoredTransaction s) -> s.transaction().tradeDate())
                            .thenComparing(s -> s.transaction().date())
                            .thenComparing(StoredTransaction::recordId).reversed())
                    .limit(limit <= 0 ? Long.MAX_VALUE : limit)
                    .toList();
            List<List<Object>> rows = new ArrayList<>();
            for (StoredTransaction s : matching) {
                Transaction t = s.transaction();
                rows.add(Arrays.asList(t.tradeDate().toString(), s.sourceName(), t.accountId(), t.type().name(),
                        t.symbol().orElse(""), t.quantity(), t.price().orElse(null), t.amount(), t.currency(),
                        t.fees(), s.recordId(), t.description().orElse("")));
            }
            query.format.print(out, List.of("date", "source", "account", "type", "symbol", "quantity", "price",
                    "amount", "currency", "fees", "id", "description"), rows);
            return 0;
        }
    }
}
