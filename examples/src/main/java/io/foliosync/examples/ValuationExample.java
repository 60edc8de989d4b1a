package io.foliosync.examples;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.marketdata.MarketDataConnector;
import io.foliosync.connectors.marketdata.Valuation;
import io.foliosync.connectors.marketdata.Valuator;
import io.foliosync.imports.config.DataSourcesConfig;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.store.PortfolioStore;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Values the holdings a source last imported, in one currency, through the configured market-data providers.
 * Usage: {@code ValuationExample CONFIG DB_FILE SOURCE [CURRENCY]}
 */
public final class ValuationExample {
    public static void main(String[] args) {
        DataSourcesConfig config = DataSourcesConfig.load(Path.of(args.length > 0 ? args[0] : "config/data_sources.yaml"));
        Path db = Path.of(args.length > 1 ? args[1] : "data/foliosync.db");
        String source = args.length > 2 ? args[2] : "ibkr";
        if (!config.section("market_data").bool("enabled", true)) {
            System.out.println("market_data is disabled in " + config.file() + ": enable a provider there first");
            return;
        }
        ConnectorContext context = new ConnectorContext(Clock.systemUTC(), config.global().dataDirectory(),
                SecretCipher.of(MasterKey.load(System.getenv(), config.global().masterKeyFile())),
                RateLimiterRegistry.shared());
        try (PortfolioStore store = PortfolioStore.open(DatabaseSettings.sqlite(db));
             MarketDataConnector prices = MarketDataConnector.fromConfig(config.section("market_data"), context)) {
            System.out.println(prices.authenticate().message());
            List<Holding> holdings = store.latestHoldings(source);
            Valuator valuator = Valuator.builder(prices).baseCurrency(args.length > 3 ? args[3] : "USD").build();
            Valuation valuation = valuator.value(holdings);
            valuation.holdings().forEach(v -> System.out.printf("%-8s %12s  %s%s%n", v.holding().symbol(),
                    v.baseValue().map(x -> x.setScale(2, RoundingMode.HALF_EVEN).toPlainString()).orElse("-"),
                    v.priceSource().orElse("no price"), v.stale() ? " (stale)" : ""));
            System.out.println("total " + valuation.total().setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " "
                    + valuation.baseCurrency() + (valuation.complete() ? "" : ", " + valuation.unvalued().size() + " unvalued"));
        }
    }
}
