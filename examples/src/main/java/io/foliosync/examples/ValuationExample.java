package io.foliosync.examples;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.marketdata.MarketDataConnector;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.connectors.marketdata.Valuator;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.config.DatabaseSettings;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Values the holdings a source last imported, in one currency, through the market-data providers FolioSync built
 * from the configuration. Usage: {@code ValuationExample CONFIG DB_FILE SOURCE [CURRENCY]}
 */
@API(status = INTERNAL, since = "0.1")
public final class ValuationExample {
    public static void main(String[] args) {
        Path config = Path.of(args.length > 0 ? args[0] : "config/data_sources.yaml");
        Path db = Path.of(args.length > 1 ? args[1] : "data/foliosync.db");
        String source = args.length > 2 ? args[2] : "ibkr";
        try (FolioSync folio = FolioSync.builder(config).database(DatabaseSettings.sqlite(db)).build()) {
            Optional<MarketDataConnector> md = folio.marketData().stream()
                    .filter(MarketDataConnector.class::isInstance).map(MarketDataConnector.class::cast).findFirst();
            if (md.isEmpty()) {
                System.out.println("market_data is disabled in " + config + ": enable a provider there first");
                return;
            }
            MarketDataConnector prices = md.get();
            System.out.println(prices.authenticate().message());
            List<Holding> holdings = folio.query().latestHoldings(source);
            Valuator valuator = Valuator.builder(prices).baseCurrency(args.length > 3 ? args[3] : "USD").build();
            Valuation valuation = valuator.value(holdings);
            valuation.holdings().forEach(v -> System.out.printf("%-8s %12s  %s%s%n", v.holding().symbol(),
                    v.baseValue().map(x -> x.setScale(2, RoundingMode.HALF_EVEN).toPlainString()).orElse("-"),
                    v.priceSource().orElse("no price"), v.stale() ? " (stale)" : ""));
            System.out.println("total " + valuation.total(2).toPlainString() + " " + valuation.baseCurrency()
                    + (valuation.complete() ? "" : "; " + valuation.exclusionSummary()));
        }
    }
}
