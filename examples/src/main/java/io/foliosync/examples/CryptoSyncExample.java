package io.foliosync.examples;

import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.imports.config.DataSourcesConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Reads balances and the last 90 days of trades, transfers and rewards from every crypto exchange enabled in
 * the configuration. Usage: {@code CryptoSyncExample [config/data_sources.yaml]}
 */
public final class CryptoSyncExample {
    public static void main(String[] args) {
        DataSourcesConfig config = DataSourcesConfig.load(Path.of(args.length > 0 ? args[0] : "config/data_sources.yaml"));
        ConnectorContext context = new ConnectorContext(Clock.systemUTC(), config.global().dataDirectory(),
                SecretCipher.of(MasterKey.load(System.getenv(), config.global().masterKeyFile())),
                RateLimiterRegistry.shared());
        for (Connector connector : config.createConnectors(context)) {
            try (connector) {
                if (connector.metadata().type() != ConnectorType.CRYPTO_EXCHANGE) {
                    continue;
                }
                System.out.println(connector.authenticate().message());
                for (Holding h : connector.getHoldings()) {
                    System.out.printf("%-10s %-6s %18s  %s%n", h.accountId(), h.symbol(), h.quantity().toPlainString(),
                            h.marketValue().map(v -> v.toPlainString() + " " + h.currency()).orElse("(no price)"));
                }
                TransactionQuery last90Days = TransactionQuery.since(Clock.systemUTC().instant().minus(Duration.ofDays(90)));
                try (PagedResult<Transaction> history = connector.getTransactions(last90Days)) {
                    for (Page<Transaction> page : history) { // fetched lazily, one page at a time
                        for (Transaction t : page.items()) {
                            System.out.printf("%s %-10s %-8s %s %s%n", t.tradeDate(), t.type(), t.symbol().orElse(""),
                                    t.quantity().toPlainString(), t.currency());
                        }
                    }
                    System.out.println(history.pagesFetched() + " pages read");
                }
            }
        }
    }
}
