package io.foliosync.imports;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.time.Instant;

/** Sample transactions for tests. */
public final class Tx {
    public static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    private Tx() {
    }

    public static Transaction.Builder buy(String source, String id, int minute) {
        return Transaction.builder()
                .date(T0.plusSeconds(60L * minute))
                .symbol("AAPL")
                .type(TransactionType.BUY)
                .quantity(new BigDecimal("2"))
                .price(new BigDecimal("150.25"))
                .amount(new BigDecimal("300.50"))
                .currency("USD")
                .fees(new BigDecimal("1.00"))
                .sourceId(id)
                .accountId("ACC-1")
                .source(source);
    }

    public static Transaction dividend(String source, int minute) {
        return Transaction.builder()
                .date(T0.plusSeconds(60L * minute))
                .symbol("MSFT")
                .type(TransactionType.DIVIDEND)
                .quantity(new BigDecimal("12.34"))
                .amount(new BigDecimal("12.34"))
                .currency("USD")
                .accountId("ACC-1")
                .source(source)
                .build();
    }
}
