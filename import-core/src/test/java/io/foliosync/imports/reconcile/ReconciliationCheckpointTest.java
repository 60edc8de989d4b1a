package io.foliosync.imports.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.pipeline.Normalizer;
import io.foliosync.imports.query.HoldingSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A check that continues from a checkpoint reaches the verdict a check of the whole history reaches: on random
 * histories with snapshots between and after the records, on exchange and broker accounts.
 */
class ReconciliationCheckpointTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final List<String> ASSETS = List.of("BTC", "ETH", "USD", "AAPL");
    private final Reconciler reconciler = Reconciler.defaults();
    private final Normalizer normalizer = Normalizer.defaults();

    @Test
    void continuingFromACheckpointGivesTheVerdictOfTheWholeHistory() {
        Random random = new Random(22);
        int compared = 0;
        int[] wholeReads = {0};
        for (int run = 0; run < 400; run++) {
            AccountKind kind = run % 2 == 0 ? AccountKind.CRYPTO : AccountKind.SECURITIES;
            // the first check: snapshots up to hour 100, records up to hour 130 (some after its last snapshot)
            List<HoldingSnapshot> first = snapshots(random, 1, 100, 1 + random.nextInt(4), kind);
            List<Transaction> before = records(random, 0, 130, random.nextInt(40));
            // the next: snapshots after the first's, records written later, dated anywhere (a statement delivered
            // days late holds records from before the last snapshot)
            Instant folded = first.stream().map(HoldingSnapshot::asOf).max(Instant::compareTo).orElseThrow();
            List<HoldingSnapshot> next = snapshots(random, 100 + first.size(), 200, 1 + random.nextInt(3), kind);
            List<Transaction> after = records(random, 0, 230, random.nextInt(40));
            List<HoldingSnapshot> all = Stream.concat(first.stream(), next.stream()).toList();

            EffectHistory firstCheck = EffectHistory.of(kind, before);
            List<Instant> firstBoundaries = first.stream().map(HoldingSnapshot::asOf).distinct().sorted().toList();
            ReconciliationCheckpoint cp = new ReconciliationCheckpoint("ns", "A1", kind, 1,
                    Optional.of(folded), firstBoundaries.size(), firstCheck.firstTransaction(),
                    firstCheck.folded(firstBoundaries), NOW);
            List<Transaction> whole = Stream.concat(before.stream(), after.stream()).toList();
            EffectHistory continued = EffectHistory.of(cp, () -> {
                wholeReads[0]++;
                return EffectHistory.of(kind, whole);
            });
            continued.add(after);

            int readsBefore = wholeReads[0];
            Optional<AccountReconciliation> expected = reconciler.reconcile(kind, "ns", "A1", all, whole, NOW);
            Optional<AccountReconciliation> actual = reconciler.reconcile(kind, "ns", "A1", all, continued, NOW);
            assertThat(actual).as("run %d (%s)", run, kind).isEqualTo(expected);
            compared += expected.map(r -> r.assets().size()).orElse(0);
            // the whole history is read at most once, and only for a verdict that needs the order folding lost or
            // an asset whose difference is located (random quantities rarely match: see the test below for that)
            boolean everyAssetMatches = expected.map(r -> r.assets().stream()
                    .allMatch(a -> a.status() == ReconciliationStatus.MATCHES || !a.status().checked()))
                    .orElse(true);
            assertThat(wholeReads[0] - readsBefore).as("run %d", run).isLessThanOrEqualTo(everyAssetMatches ? 0 : 1);
        }
        assertThat(compared).as("assets compared").isGreaterThan(1_000);
        assertThat(wholeReads[0]).isPositive();
    }

    @Test
    void anAccountThatMatchesIsCheckedWithoutReadingItsWholeHistory() {
        List<Transaction> before = List.of(tx(TransactionType.DEPOSIT, 1, "BTC", "2.00"),
                tx(TransactionType.WITHDRAWAL, 2, "BTC", "0.50"), tx(TransactionType.OTHER, 3, "ETH", "1.00"));
        Instant first = T0.plusSeconds(3600 * 10);
        List<HoldingSnapshot> snaps = List.of(new HoldingSnapshot(1, first, List.of(holding("BTC", "1.50"))),
                new HoldingSnapshot(2, T0.plusSeconds(3600 * 30), List.of(holding("BTC", "2.50"))));
        EffectHistory firstCheck = EffectHistory.of(AccountKind.CRYPTO, before);
        ReconciliationCheckpoint cp = new ReconciliationCheckpoint("ns", "A1", AccountKind.CRYPTO, 1,
                Optional.of(first), 1, firstCheck.firstTransaction(), firstCheck.folded(List.of(first)), NOW);
        EffectHistory continued = EffectHistory.of(cp, () -> {
            throw new AssertionError("the whole history was read for an account that matches");
        });
        continued.add(List.of(tx(TransactionType.DEPOSIT, 20, "BTC", "1.00")));

        AccountReconciliation r = reconciler.reconcile(AccountKind.CRYPTO, "ns", "A1", snaps, continued, NOW)
                .orElseThrow();
        assertThat(r.assets()).extracting(AssetReconciliation::asset, AssetReconciliation::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("BTC", ReconciliationStatus.MATCHES),
                // moved only by an OTHER record, listed (never dropped) and matching the 0 reported
                org.assertj.core.groups.Tuple.tuple("ETH", ReconciliationStatus.MATCHES));
    }

    private static Holding holding(String symbol, String quantity) {
        return Holding.builder().symbol(symbol).quantity(new BigDecimal(quantity)).currency("USD").accountId("A1")
                .source("test").assetClass(AssetClass.CRYPTO).build();
    }

    @Test
    void foldingKeepsTheSumUpToEachSnapshotAndEachRecordAfterTheLast() {
        Instant b1 = T0.plusSeconds(3600 * 10);
        Instant b2 = T0.plusSeconds(3600 * 20);
        EffectHistory h = EffectHistory.of(AccountKind.CRYPTO, List.of(
                tx(TransactionType.DEPOSIT, 1, "BTC", "2.00"), tx(TransactionType.WITHDRAWAL, 2, "BTC", "3.00"),
                tx(TransactionType.DEPOSIT, 3, "BTC", "1.50"), tx(TransactionType.DEPOSIT, 15, "BTC", "1.00"),
                tx(TransactionType.WITHDRAWAL, 25, "BTC", "0.25")));

        assertThat(h.folded(List.of(b1, b2))).extracting(ReconciliationCheckpoint.Entry::at,
                        e -> e.delta().toPlainString())
                .containsExactly(
                        assertThatEntry(b1, "0.50"), // 2 - 3 + 1.5
                        assertThatEntry(b2, "1.00"),
                        // after the newest snapshot, each record stays itself: a later snapshot may fall between
                        assertThatEntry(T0.plusSeconds(3600 * 25), "-0.25"));
    }

    private static org.assertj.core.groups.Tuple assertThatEntry(Instant at, String delta) {
        return org.assertj.core.groups.Tuple.tuple(at, delta);
    }

    private List<HoldingSnapshot> snapshots(Random random, int firstId, int untilHour, int count, AccountKind kind) {
        List<HoldingSnapshot> out = new ArrayList<>();
        int hour = untilHour - 60;
        for (int i = 0; i < count; i++) {
            hour += 1 + random.nextInt(60 / count);
            List<Holding> holdings = new ArrayList<>();
            for (String asset : ASSETS) {
                if (random.nextInt(3) > 0) {
                    boolean cash = asset.equals("USD");
                    holdings.add(Holding.builder().symbol(asset).quantity(decimal(random))
                            .currency("USD").accountId("A1").source("test")
                            .assetClass(cash ? AssetClass.CASH : kind == AccountKind.CRYPTO ? AssetClass.CRYPTO
                                    : AssetClass.STOCK).build());
                }
            }
            out.add(new HoldingSnapshot(firstId + i, T0.plusSeconds(3600L * hour), holdings));
        }
        return out;
    }

    private List<Transaction> records(Random random, int fromHour, int toHour, int count) {
        List<Transaction> out = new ArrayList<>();
        TransactionType[] types = {TransactionType.BUY, TransactionType.SELL, TransactionType.DEPOSIT,
                TransactionType.WITHDRAWAL, TransactionType.FEE, TransactionType.DIVIDEND, TransactionType.REWARD};
        for (int i = 0; i < count; i++) {
            int hour = fromHour + random.nextInt(Math.max(1, toHour - fromHour));
            TransactionType type = types[random.nextInt(types.length)];
            String symbol = ASSETS.get(random.nextInt(3) == 0 ? 3 : random.nextInt(2));
            Transaction.Builder b = Transaction.builder().date(T0.plusSeconds(3600L * hour + random.nextInt(3600)))
                    .type(type).quantity(decimal(random)).amount(decimal(random)).currency("USD").accountId("A1")
                    .source("test");
            if (type != TransactionType.FEE && type != TransactionType.DIVIDEND && random.nextInt(5) > 0) {
                b.symbol(symbol);
            }
            if (random.nextInt(4) == 0) {
                b.fees(decimal(random));
            }
            out.add(normalizer.normalize(b.build()));
        }
        return out;
    }

    private Transaction tx(TransactionType type, int hour, String symbol, String quantity) {
        return normalizer.normalize(Transaction.builder().date(T0.plusSeconds(3600L * hour)).type(type)
                .symbol(symbol).quantity(new BigDecimal(quantity)).amount(BigDecimal.ZERO).currency("USD")
                .accountId("A1").source("test").build());
    }

    private static BigDecimal decimal(Random random) {
        return BigDecimal.valueOf(random.nextInt(2_000), 2);
    }
}
