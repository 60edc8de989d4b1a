package io.foliosync.examples.cli;

import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.connectors.marketdata.Valuator;
import io.foliosync.examples.valuation.HoldingValues;
import io.foliosync.imports.query.PortfolioQuery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
            List<Holding> shown = new ArrayList<>();
            for (Holding h : latestHoldings(ws.query())) {
                if (query.matches(h.source(), h.accountId(), h.symbol(), null)) {
                    shown.add(h);
                    rows.add(Arrays.asList(h.source(), h.accountId(), h.symbol(), h.assetClass().name(), h.quantity(),
                            h.currentPrice().orElse(null), h.marketValue().orElse(null), h.costBasis().orElse(null),
                            h.currency()));
                }
            }
            query.format.print(out, List.of("source", "account", "symbol", "class", "quantity", "price",
                    "market_value", "cost_basis", "currency"), rows, query.raw);
            if (query.format == OutputFormat.TABLE) {
                out.println();
                out.println(totalsAtSourcePrices(shown, ws.clock()));
                out.flush();
            }
            return 0;
        }
    }

    /**
     * @return the holdings' worth at their sources' own prices, one total per currency (no FX: `value` converts),
     *         with what each total leaves out
     */
    static String totalsAtSourcePrices(List<Holding> holdings, java.time.Clock clock) {
        Map<String, List<Holding>> byCurrency = new TreeMap<>();
        holdings.forEach(h -> byCurrency.computeIfAbsent(h.currency(), c -> new ArrayList<>()).add(h));
        List<String> totals = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, List<Holding>> e : byCurrency.entrySet()) {
            if (!CurrencyCodes.isIso4217(e.getKey())) {
                left.add(e.getValue().size() + " priced in " + e.getKey() + " (not a currency code)");
                continue;
            }
            Valuation v = Valuator.sourcePricesOnly(e.getKey()).clock(clock).build().value(e.getValue());
            int valued = v.holdings().size() - v.exclusions().size();
            totals.add(e.getKey() + " " + HoldingValues.money(v.total(2)) + " (" + valued
                    + (valued == 1 ? " holding)" : " holdings)"));
            if (!v.exclusions().isEmpty()) {
                left.add(v.exclusions().size() + " in " + e.getKey() + " without a price (" + String.join(", ",
                        v.exclusions().stream().map(x -> x.holding().holding().symbol()).toList()) + ")");
            }
        }
        return "At the sources' prices, per currency: " + (totals.isEmpty() ? "nothing priced" : String.join(", ", totals))
                + (left.isEmpty() ? "" : "; left out: " + String.join("; ", left))
                + ". One currency, freshest prices: `foliosync value`.";
    }

    /** @return the latest snapshot of every account that has ever been synced */
    static List<Holding> latestHoldings(PortfolioQuery store) {
        List<Holding> all = new ArrayList<>();
        store.holdingNamespaces().forEach(s -> all.addAll(store.latestHoldings(s)));
        return all;
    }
}
