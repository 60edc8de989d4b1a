package io.foliosync.plugins.chase;

import io.foliosync.connectors.api.AccountType;
import io.foliosync.connectors.api.Balance;
import io.foliosync.connectors.api.BankTransaction;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What one statement file says about one account. */
record Statement(Path file, String accountId, AccountType type, String currency, List<BankTransaction> transactions,
                 Optional<Balance> balance) {
    Statement {
        transactions = List.copyOf(transactions);
    }

    /**
     * @return the line carrying the newest running balance: on the newest day with balances, the line that no
     *         other line of that day continues (no line's balance minus its amount equals its balance); when
     *         that does not single one out, the first line of the day for a newest-first file, else the last
     */
    static Optional<BankTransaction> newestBalanceLine(List<BankTransaction> lines, boolean newestFirst) {
        List<BankTransaction> withBalance = lines.stream().filter(t -> t.balanceAfter().isPresent()).toList();
        Optional<LocalDate> last = withBalance.stream().map(BankTransaction::postedDate).max(Comparator.naturalOrder());
        if (last.isEmpty()) {
            return Optional.empty();
        }
        List<BankTransaction> day = withBalance.stream().filter(t -> t.postedDate().equals(last.get())).toList();
        List<BankTransaction> ends = day.stream().filter(l -> day.stream().noneMatch(m -> m != l
                && m.balanceAfter().get().subtract(m.amount()).compareTo(l.balanceAfter().get()) == 0)).toList();
        if (ends.size() == 1) {
            return Optional.of(ends.get(0));
        }
        return Optional.of(newestFirst ? day.get(0) : day.get(day.size() - 1));
    }
}
