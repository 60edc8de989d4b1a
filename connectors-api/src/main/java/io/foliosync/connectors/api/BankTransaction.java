package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One line of a bank statement, as a {@link BankIntegrationPlugin} reports it.
 *
 * @param sourceId     the bank's id for the line (an OFX FITID), or the plugin's documented hash of date,
 *                     amount, description and running balance when the bank gives none
 * @param accountId    the account
 * @param postedDate   the booking date
 * @param amount       signed: positive money in, negative money out
 * @param currency     the amount's currency
 * @param description  the statement's text (payee, memo); never null, may be empty
 * @param counterparty the other party's name, when the statement names one
 * @param balanceAfter the running balance after this line, when the statement has one
 * @param type         the plugin's best mapping; defaults follow the sign (DEPOSIT / WITHDRAWAL)
 * @param rawType      the bank's own type text, when it has one
 */
@API(status = STABLE, since = "0.1")
public record BankTransaction(String sourceId, String accountId, LocalDate postedDate, BigDecimal amount,
                              String currency, String description, Optional<String> counterparty,
                              Optional<BigDecimal> balanceAfter, TransactionType type, Optional<String> rawType) {
    private static final String R = "BankTransaction";

    public BankTransaction {
        Fields.requiredText(R, "sourceId", sourceId);
        Fields.requiredText(R, "accountId", accountId);
        Fields.required(R, "postedDate", postedDate);
        Fields.required(R, "amount", amount);
        Fields.currency(R, "currency", currency);
        Fields.required(R, "description", description);
        Fields.optional(R, "counterparty", counterparty);
        Fields.optional(R, "balanceAfter", balanceAfter);
        Fields.required(R, "type", type);
        Fields.optional(R, "rawType", rawType);
    }

    /**
     * Finds the line whose running balance is the account's latest, for a plugin whose statement states no
     * closing balance: on the newest day with balances, the line no other line of that day continues (no
     * line's balance minus its amount equals its balance); when that does not single one out, the first line
     * of the day for a newest-first file, else the last.
     *
     * @param lines       the statement's lines, in file order
     * @param newestFirst whether the file lists the newest lines first
     * @return the line, or empty when no line has a running balance
     */
    public static Optional<BankTransaction> newestBalanceLine(List<BankTransaction> lines, boolean newestFirst) {
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

    /** @return the type a signed amount implies when the statement says nothing more */
    public static TransactionType typeForSign(BigDecimal amount) {
        return amount.signum() < 0 ? TransactionType.WITHDRAWAL : TransactionType.DEPOSIT;
    }

    /**
     * Converts this line into the common {@link Transaction} form: the amount becomes non-negative with its
     * direction in the type, the posted date becomes midnight UTC of that date.
     *
     * @param source the plugin id
     */
    public Transaction toTransaction(String source) {
        Transaction.Builder b = Transaction.builder()
                .date(postedDate.atStartOfDay(ZoneOffset.UTC).toInstant())
                .tradeDate(postedDate)
                .type(type)
                .quantity(amount.abs())
                .amount(amount.abs())
                .currency(currency)
                .sourceId(sourceId)
                .accountId(accountId)
                .description(description.isEmpty() ? null : description)
                .source(source)
                .rawType(rawType.orElse(null));
        counterparty.ifPresent(c -> b.attribute("counterparty", c));
        balanceAfter.ifPresent(v -> b.attribute("balance_after", v.toPlainString()));
        b.attribute("signed_amount", amount.toPlainString());
        return b.build();
    }
}
