package io.foliosync.examples.cli;

import io.foliosync.connectors.api.Holding;
import io.foliosync.imports.store.PortfolioStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the latest holdings of every source. */
@Command(name = "holdings", mixinStandardHelpOptions = true, description = "Lists the latest holdings from the database.")
final class HoldingsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    QueryOptions query;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            List<List<Object>> rows = new ArrayList<>();
            for (Holding h : latestHoldings(ws.store())) {
                if (query.matches(h.source(), h.accountId(), h.symbol(), null)) {
                    rows.add(Arrays.asList(h.source(), h.accountId(), h.symbol(), h.assetClass().name(), h.quantity(),
                            h.currentPrice().orElse(null), h.marketValue().orElse(null), h.costBasis().orElse(null),
                            h.currency()));
                }
            }
            query.format.print(out, List.of("source", "account", "symbol", "class", "quantity", "price",
                    "market_value", "cost_basis", "currency"), rows);
            return 0;
        }
    }

    /** @return the latest snapshot of every account that has ever been synced */
    static List<Holding> latestHoldings(PortfolioStore store) {
        List<Holding> all = new ArrayList<>();
        store.holdingNamespaces().forEach(s -> all.addAll(store.latestHoldings(s)));
        return all;
    }
}
