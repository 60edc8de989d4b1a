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
     * An instant buy or sell (Kraken's "Buy Crypto" button, or Convert): a {@code spend} leg and a {@code receive}
     * leg sharing a refid, as one trade. Receiving fiat is a SELL of the spent asset; anything else a BUY of the
     * received asset paid with the spent one. The fee is the spend leg's (in the spent asset), else the receive
     * leg's. The source id is the refid: one record for the two ledger ids, both kept as attributes.
     */
    static Transaction conversion(Trees t, String refid, String idA, Map<String, Object> legA, String idB,
                                  Map<String, Object> legB, String accountId, String source) {
        boolean aIsSpend = t.text(legA, idA, "type").equalsIgnoreCase("spend");
        String spendId = aIsSpend ? idA : idB;
        String receiveId = aIsSpend ? idB : idA;
        Map<String, Object> spend = aIsSpend ? legA : legB;
        Map<String, Object> receive = aIsSpend ? legB : legA;
        if (t.text(spend, spendId, "type").equalsIgnoreCase(t.text(receive, receiveId, "type"))) {
            throw t.bad(refid, "type", "two '" + t.text(spend, spendId, "type") + "' legs share refid " + refid);
        }
        String spent = AssetCodes.normalize(t.text(spend, spendId, "asset"));
        String got = AssetCodes.normalize(t.text(receive, receiveId, "asset"));
        BigDecimal spentAmount = t.decimal(spend, spendId, "amount").abs();
        BigDecimal gotAmount = t.decimal(receive, receiveId, "amount").abs();
        BigDecimal spendFee = t.optDecimal(spend, spendId, "fee").orElse(BigDecimal.ZERO).abs();
        BigDecimal receiveFee = t.optDecimal(receive, receiveId, "fee").orElse(BigDecimal.ZERO).abs();
        boolean sell = AssetCodes.isFiat(got) && !AssetCodes.isFiat(spent);
        String symbol = sell ? spent : got;
        BigDecimal qty = sell ? spentAmount : gotAmount;
        BigDecimal cash = sell ? gotAmount : spentAmount;
        Transaction.Builder b = Transaction.builder()
                .date(t.epochSeconds(receive, receiveId, "time"))
                .symbol(symbol)
                .type(sell ? TransactionType.SELL : TransactionType.BUY)
                .quantity(qty)
                .amount(cash)
                .currency(sell ? got : spent)
                .fees(spendFee.signum() > 0 ? spendFee : receiveFee)
                .feeCurrency(spendFee.signum() > 0 ? spent : got)
                .sourceId(refid)
                .accountId(accountId)
                .source(source)
                .rawType("spend/receive")
                .attribute("spend_ledger_id", spendId)
                .attribute("receive_ledger_id", receiveId);
        if (qty.signum() > 0) {
            b.price(cash.divide(qty, PriceBook.MC));
        }
        return b.build();
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
