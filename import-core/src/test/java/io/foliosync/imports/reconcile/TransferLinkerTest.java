package io.foliosync.imports.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.query.StoredTransaction;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matching rules of {@link TransferLinker}, without a database. */
class TransferLinkerTest {
    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
    private final TransferLinker linker = TransferLinker.defaults();

    private static StoredTransaction tx(String ns, String account, TransactionType type, String id, Duration after,
                                        String symbol, String qty, String fee, String networkTxId) {
        Transaction.Builder b = Transaction.builder().date(T0.plus(after)).symbol(symbol).type(type)
                .quantity(new BigDecimal(qty)).amount(BigDecimal.ZERO).currency("USD").fees(new BigDecimal(fee))
                .feeCurrency(fee.equals("0") ? null : symbol).sourceId(id).accountId(account).source(ns);
        if (networkTxId != null) {
            b.attribute("network_tx_id", networkTxId);
        }
        return new StoredTransaction("crypto_exchange", ns, id, "h", b.build());
    }

    private static StoredTransaction cash(String ns, String account, TransactionType type, String id, Duration after,
                                          String amount) {
        return new StoredTransaction("bank", ns, id, "h", Transaction.builder().date(T0.plus(after)).type(type)
                .quantity(new BigDecimal(amount)).amount(new BigDecimal(amount)).currency("EUR").accountId(account)
                .sourceId(id).source(ns).build());
    }

    @Test
    void nearestInTimeFirstEachRecordOnce() {
        List<TransferLink> links = linker.match(List.of(
                tx("a", "A", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "BTC", "1", "0", null),
                tx("a", "A", TransactionType.WITHDRAWAL, "w2", Duration.ofHours(1), "BTC", "1", "0", null),
                tx("b", "B", TransactionType.DEPOSIT, "d1", Duration.ofHours(2), "BTC", "1", "0", null),
                tx("b", "B", TransactionType.DEPOSIT, "d2", Duration.ofHours(5), "BTC", "1", "0", null)), T0);
        assertThat(links).extracting(l -> l.outSourceId() + ">" + l.inSourceId())
                .containsExactlyInAnyOrder("w2>d1", "w1>d2");
    }

    @Test
    void depositBeforeTheWithdrawalOrAtTheSameAccountOrOfAnotherAssetIsNotLinked() {
        assertThat(linker.match(List.of(
                tx("a", "A", TransactionType.WITHDRAWAL, "w1", Duration.ofHours(1), "BTC", "1", "0", null),
                tx("b", "B", TransactionType.DEPOSIT, "d1", Duration.ZERO, "BTC", "1", "0", null),
                tx("a", "A", TransactionType.DEPOSIT, "d2", Duration.ofHours(2), "BTC", "1", "0", null),
                tx("b", "B", TransactionType.DEPOSIT, "d3", Duration.ofHours(2), "ETH", "1", "0", null)), T0))
                .isEmpty();
    }

    @Test
    void amountsMustAgreeWithinTheToleranceAllowingTheFee() {
        assertThat(linker.match(List.of(
                tx("a", "A", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "BTC", "1", "0.001", null),
                tx("b", "B", TransactionType.DEPOSIT, "d1", Duration.ofHours(1), "BTC", "0.998", "0", null)), T0))
                .isEmpty();
        assertThat(linker.match(List.of(
                tx("a", "A", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "BTC", "1", "0.001", null),
                tx("b", "B", TransactionType.DEPOSIT, "d1", Duration.ofHours(1), "BTC", "0.999000001", "0", null)),
                T0)).hasSize(1);
    }

    @Test
    void differentNetworkTxIdsAreNeverLinkedByAmount() {
        assertThat(linker.match(List.of(
                tx("a", "A", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "BTC", "1", "0", "0x1"),
                tx("b", "B", TransactionType.DEPOSIT, "d1", Duration.ofHours(1), "BTC", "1", "0", "0x2")), T0))
                .isEmpty();
    }

    @Test
    void aBatchTransactionIdIsPairedByAmount() {
        List<TransferLink> links = linker.match(List.of(
                tx("a", "A", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "USDT", "100", "1", "0xB"),
                tx("a", "A", TransactionType.WITHDRAWAL, "w2", Duration.ZERO, "USDT", "250", "1", "0xB"),
                tx("b", "B", TransactionType.DEPOSIT, "d1", Duration.ofDays(5), "USDT", "249", "0", "0xb"),
                tx("c", "C", TransactionType.DEPOSIT, "d2", Duration.ofDays(5), "USDT", "99", "0", "0xb")), T0);
        assertThat(links).extracting(l -> l.outSourceId() + ">" + l.inSourceId() + ":" + l.method().dbValue())
                .containsExactlyInAnyOrder("w1>d2:network_tx_id", "w2>d1:network_tx_id");
    }

    @Test
    void cashMovesBetweenABankAndAnExchangeAreLinkedByCurrencyAndAmount() {
        List<TransferLink> links = linker.match(List.of(
                cash("mybank", "IBAN-1", TransactionType.WITHDRAWAL, "w1", Duration.ZERO, "500.00"),
                cash("kraken", "K-1", TransactionType.DEPOSIT, "d1", Duration.ofHours(20), "500")), T0);
        assertThat(links).singleElement().satisfies(l -> {
            assertThat(l.symbol()).isEqualTo("EUR");
            assertThat(l.quantity()).isEqualByComparingTo("500");
        });
    }
}
