package io.foliosync.examples.cli;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.marketdata.MarketDataConnector;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.connectors.marketdata.Valuator;
import io.foliosync.connectors.marketdata.ValuedHolding;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Values the stored holdings through the market-data providers. */
@Command(name = "value", mixinStandardHelpOptions = true,
        description = "Values the latest holdings in one currency through the configured market-data providers.")
final class ValueCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Mixin
    QueryOptions query;

    @Option(names = "--currency", paramLabel = "ISO", description = "Base currency (default: the market_data section's).")
    String currency;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, true, System.getenv())) {
            List<Holding> holdings = HoldingsCommand.latestHoldings(ws.store()).stream()
                    .filter(h -> query.matches(h.source(), h.accountId(), h.symbol(), null)).toList();
            try (MarketDataConnector md = marketData(ws)) {
                Valuation valuation = value(md, holdings, currency, ws);
                print(out, valuation, query.format);
            }
            return 0;
        }
    }

    /** @return the market-data connector FolioSync built from the configuration, authenticated */
    static MarketDataConnector marketData(Workspace ws) {
        MarketDataConnector md = ws.folio().marketData().stream().filter(MarketDataConnector.class::isInstance)
                .map(MarketDataConnector.class::cast).findFirst()
                .orElseThrow(() -> new ConfigurationException(null, "market_data: no market-data providers are "
                        + "configured; see docs/setup_guides/marketdata_setup.md"));
        AuthenticationResult auth = md.authenticate();
        if (!auth.success()) {
            throw new ConfigurationException(MarketDataConnector.NAME, auth.message());
        }
        return md;
    }

    static Valuation value(MarketDataConnector md, List<Holding> holdings, String currency, Workspace ws) {
        Valuator.Builder b = Valuator.builder(md).clock(ws.clock());
        if (currency != null) {
            b.baseCurrency(currency);
        }
        return b.build().value(holdings);
    }

    private static String problems(List<String> problems, OutputFormat format) {
        String all = String.join("; ", problems);
        // A table stays readable; csv and json carry every word.
        return format == OutputFormat.TABLE && all.length() > 90 ? all.substring(0, 89) + "…" : all;
    }

    static void print(PrintWriter out, Valuation v, OutputFormat format) {
        List<List<Object>> rows = new ArrayList<>();
        for (ValuedHolding h : v.holdings()) {
            rows.add(Arrays.asList(h.holding().source(), h.holding().accountId(), h.holding().symbol(),
                    h.holding().quantity(), h.price().orElse(null), h.priceCurrency(),
                    h.priceDate().map(Object::toString).orElse(""), h.priceSource().orElse(""),
                    h.fxRate().map(fx -> fx.rate().round(new java.math.MathContext(8))).orElse(null),
                    h.baseValue().map(x -> x.setScale(2, RoundingMode.HALF_EVEN)).orElse(null),
                    h.stale() ? "stale" : "", problems(h.problems(), format)));
        }
        format.print(out, List.of("source", "account", "symbol", "quantity", "price", "price_ccy", "price_date",
                "price_source", "fx_rate", "value_" + v.baseCurrency().toLowerCase(java.util.Locale.ROOT), "flag",
                "problems"), rows);
        if (format == OutputFormat.TABLE) {
            BigDecimal total = v.total().setScale(2, RoundingMode.HALF_EVEN);
            out.println();
            out.println("Total " + v.baseCurrency() + " " + total.toPlainString()
                    + (v.complete() ? "" : " (" + v.unvalued().size() + " holdings could not be valued)")
                    + (v.stale().isEmpty() ? "" : "; " + v.stale().size() + " prices are stale"));
            out.flush();
        }
    }
}
