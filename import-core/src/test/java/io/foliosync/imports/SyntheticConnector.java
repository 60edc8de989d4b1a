package io.foliosync.imports;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.HealthStatus;
import io.foliosync.connectors.api.Page;
import io.foliosync.connectors.api.PagedResult;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionQuery;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A source of {@code total} deterministic transactions generated page by page (never all in memory), for the
 * crash test and the benchmark. Every fifth record has no source id, so content hashing is exercised too. It
 * serves the whole history whatever the query (a source that re-sends everything).
 */
public class SyntheticConnector extends AbstractConnector {
    static final Instant START = Instant.parse("2015-01-01T00:00:00Z");
    private static final String[] SYMBOLS = {"AAPL", "MSFT", "XBT", "BRK B", "ETH", "VTI", "GOOG", "NVDA"};

    private final String id;
    private final long total;
    private final int pageSize;
    private final Duration perPageDelay;

    public SyntheticConnector(String id, long total, int pageSize, Duration perPageDelay) {
        super(Clock.systemUTC());
        this.id = id;
        this.total = total;
        this.pageSize = pageSize;
        this.perPageDelay = perPageDelay;
    }

    public static Transaction transaction(String source, long i) {
        BigDecimal qty = BigDecimal.valueOf(1 + i % 97, 2 - (int) (i % 3));
        BigDecimal price = BigDecimal.valueOf(1000 + i % 5000, 2);
        boolean buy = i % 7 != 3;
        Transaction.Builder b = Transaction.builder()
                .date(START.plusSeconds(i * 61))
                .symbol(SYMBOLS[(int) (i % SYMBOLS.length)])
                .type(buy ? TransactionType.BUY : TransactionType.SELL)
                .quantity(qty)
                .price(price)
                .amount(qty.multiply(price))
                .currency("USD")
                .fees(BigDecimal.valueOf(i % 11, 1))
                .accountId("ACC-" + (i % 3))
                .description("synthetic " + i)
                .source(source);
        if (i % 5 != 0) {
            b.sourceId("S" + i);
        }
        return b.build();
    }

    @Override
    public ConnectorMetadata metadata() {
        return new ConnectorMetadata(id, ConnectorType.BROKER, "1.0", "synthetic", Set.of(), false, false,
                Optional.empty(), Optional.empty());
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.TRANSACTIONS);
    }

    @Override
    public HealthStatus healthCheck() {
        return HealthStatus.healthy("ok", Instant.now(), Duration.ZERO);
    }

    @Override
    protected AuthenticationResult doAuthenticate() {
        return AuthenticationResult.success("ok");
    }

    @Override
    protected PagedResult<Transaction> fetchTransactions(TransactionQuery query) {
        return PagedResult.of(cursor -> {
            long from = cursor.map(Long::parseLong).orElse(0L);
            if (!perPageDelay.isZero()) {
                try {
                    Thread.sleep(perPageDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long to = Math.min(total, from + pageSize);
            List<Transaction> items = new ArrayList<>((int) (to - from));
            for (long i = from; i < to; i++) {
                items.add(transaction(id, i));
            }
            return to < total ? Page.of(items, Long.toString(to)) : Page.last(items);
        });
    }
}
