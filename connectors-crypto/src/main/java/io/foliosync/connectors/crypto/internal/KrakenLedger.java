package io.foliosync.connectors.crypto.internal;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps one Kraken ledger entry. Every type is kept (unknown ones as {@link TransactionType#OTHER} with the raw
 * type), except {@code trade} legs: those are the two sides of a TradesHistory trade already imported, linked to
 * it by refid ({@code ledger_refid} on the trade), and returned as empty.
 */
final class KrakenLedger {
    private KrakenLedger() {
    }

    static Optional<Transaction> map(Trees t, String id, Map<String, Object> row, String accountId, String source) {
        String type = t.text(row, id, "type").toLowerCase(Locale.ROOT);
        if (type.equals("trade")) {
            return Optional.empty();
        }
        String subtype = t.optText(row, "subtype").orElse("").toLowerCase(Locale.ROOT);
        AssetCodes.Asset asset = AssetCodes.parse(t.text(row, id, "asset"));
        BigDecimal amount = t.decimal(row, id, "amount");
        BigDecimal fee = t.optDecimal(row, id, "fee").orElse(BigDecimal.ZERO).abs();
        Instant time = t.epochSeconds(row, id, "time");
        TransactionType mapped = switch (type) {
            case "deposit" -> TransactionType.DEPOSIT;
            case "withdrawal" -> TransactionType.WITHDRAWAL;
            case "staking", "reward", "earn" -> rewardOrMove(type, subtype, amount);
            case "dividend" -> TransactionType.DIVIDEND;
            case "interest" -> TransactionType.INTEREST;
            case "fee" -> TransactionType.FEE;
            default -> TransactionType.OTHER;
        };
        Transaction.Builder b = Transaction.builder()
                .date(time)
                .symbol(asset.code())
                .type(mapped)
                .quantity(amount.abs())
                .amount(amount.abs())
                .currency(asset.code())
                .fees(fee)
                .feeCurrency(asset.code())
                .sourceId(id)
                .accountId(accountId)
                .source(source)
                .rawType(subtype.isEmpty() ? type : type + "/" + subtype)
                .attribute("raw_asset", asset.raw())
                .attribute("direction", amount.signum() < 0 ? "out" : "in");
        t.optText(row, "refid").ifPresent(r -> b.attribute("refid", r));
        t.optText(row, "balance").ifPresent(r -> b.attribute("balance_after", r));
        asset.variant().ifPresent(v -> b.attribute("variant", v));
        return Optional.of(b.build());
    }

    /**
     * Staking and Earn: a payout is a reward; allocations, deallocations and migrations move the asset between
     * the spot and earn balances of the same account and are kept as OTHER.
     */
    private static TransactionType rewardOrMove(String type, String subtype, BigDecimal amount) {
        if (subtype.isEmpty() || subtype.equals("reward")) {
            return amount.signum() > 0 || type.equals("reward") ? TransactionType.REWARD : TransactionType.OTHER;
        }
        return TransactionType.OTHER;
    }
}
