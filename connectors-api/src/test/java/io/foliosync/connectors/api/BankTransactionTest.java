package io.foliosync.connectors.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BankTransactionTest {
    private static BankTransaction line(String id, String day, String amount, String balance) {
        return new BankTransaction(id, "chk", LocalDate.parse(day), new BigDecimal(amount), "USD", id,
                Optional.empty(), Optional.ofNullable(balance).map(BigDecimal::new),
                BankTransaction.typeForSign(new BigDecimal(amount)), Optional.empty());
    }

    @Test
    void newestBalanceIsTheLineNoOtherLineOfThatDayContinues() {
        // Newest first, as Chase lists them; on 01-31 the -20 line ran after the +100 line.
        List<BankTransaction> lines = List.of(line("c", "2024-01-31", "-20", "1080"),
                line("b", "2024-01-31", "100", "1100"), line("a", "2024-01-30", "-5", "1000"));
        assertThat(BankTransaction.newestBalanceLine(lines, true)).map(BankTransaction::sourceId).contains("c");
        // The same lines oldest first: the answer does not depend on the order when the chain decides it.
        assertThat(BankTransaction.newestBalanceLine(List.of(lines.get(2), lines.get(1), lines.get(0)), false))
                .map(BankTransaction::sourceId).contains("c");
    }

    @Test
    void fileOrderDecidesWhenTheChainCannot() {
        List<BankTransaction> sameBalance = List.of(line("x", "2024-02-01", "0", "50"), line("y", "2024-02-01", "0", "50"));
        assertThat(BankTransaction.newestBalanceLine(sameBalance, true)).map(BankTransaction::sourceId).contains("x");
        assertThat(BankTransaction.newestBalanceLine(sameBalance, false)).map(BankTransaction::sourceId).contains("y");
    }

    @Test
    void noRunningBalanceMeansNoBalanceLine() {
        assertThat(BankTransaction.newestBalanceLine(List.of(line("z", "2024-03-01", "-1", null)), true)).isEmpty();
    }
}
