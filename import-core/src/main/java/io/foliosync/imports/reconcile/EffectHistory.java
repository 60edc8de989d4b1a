package io.foliosync.imports.reconcile;

import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.imports.reconcile.Reconciler.Effect;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An account's history as the verdict reads it: per asset, what each record did to its quantity, in date order;
 * beside it, on a broker account, what the records did to each cash currency (reported, not judged).
 *
 * <p>Built from the records themselves, or from a {@link ReconciliationCheckpoint} plus the records written after
 * it: both give the verdict the same sum up to every snapshot instant (see {@link #folded}). The order within a
 * folded interval is gone, so a checkpoint's history answers {@link #lowestRunning} from the whole history, read
 * once when a verdict first asks: only an asset whose history does not explain its holdings does.
 */
final class EffectHistory {
    private final AccountKind kind;
    private final Map<String, List<Effect>> positions = new LinkedHashMap<>();
    private final Map<String, List<Effect>> cash = new LinkedHashMap<>();
    private Optional<Instant> firstTransaction = Optional.empty();
    /** the records themselves, when this history was built from all of them; null for a checkpoint's */
    private final List<Transaction> records;
    /** reads the whole history, for what a folded one cannot answer; null when this one is whole */
    private final Supplier<EffectHistory> whole;
    private EffectHistory wholeRead;

    private EffectHistory(AccountKind kind, Supplier<EffectHistory> whole) {
        this.kind = kind;
        this.whole = whole;
        this.records = whole == null ? new ArrayList<>() : null;
    }

    /** @param records the account's records, any order */
    static EffectHistory of(AccountKind kind, List<Transaction> records) {
        EffectHistory h = new EffectHistory(kind, null);
        h.add(records);
        return h;
    }

    /**
     * @param whole reads the account's whole history, when a verdict needs what folding lost (called at most once)
     * @return the checkpoint's history, to which {@link #add} adds what was written after it
     */
    static EffectHistory of(ReconciliationCheckpoint checkpoint, Supplier<EffectHistory> whole) {
        EffectHistory h = new EffectHistory(checkpoint.kind(), whole);
        for (ReconciliationCheckpoint.Entry e : checkpoint.effects()) {
            (e.cashLeg() ? h.cash : h.positions).computeIfAbsent(e.asset(), k -> new ArrayList<>())
                    .add(new Effect(e.at(), e.asset(), e.delta()));
        }
        h.firstTransaction = checkpoint.firstTransaction();
        return h;
    }

    /** Adds records (any order) and keeps every asset's effects in date order, earlier ones first on a tie. */
    void add(List<Transaction> added) {
        List<Transaction> byDate = added.stream().sorted(Comparator.comparing(Transaction::date)).toList();
        if (records != null) {
            records.addAll(byDate);
        }
        for (Transaction t : byDate) {
            for (Effect e : Reconciler.effects(kind, t)) {
                positions.computeIfAbsent(e.asset(), k -> new ArrayList<>()).add(e);
            }
            if (kind == AccountKind.SECURITIES) {
                // a broker's cash is read as an exchange's would be, every currency leg counted (see brokerCash)
                for (Effect e : Reconciler.effects(AccountKind.CRYPTO, t)) {
                    if (CurrencyCodes.isIso4217(e.asset())) {
                        cash.computeIfAbsent(e.asset(), k -> new ArrayList<>()).add(e);
                    }
                }
            }
            if (firstTransaction.isEmpty() || t.date().isBefore(firstTransaction.get())) {
                firstTransaction = Optional.of(t.date());
            }
        }
        // List.sort is stable: what was there keeps its order before a record of the same instant added now
        positions.values().forEach(l -> l.sort(Comparator.comparing(Effect::date)));
        cash.values().forEach(l -> l.sort(Comparator.comparing(Effect::date)));
    }

    Map<String, List<Effect>> positions() {
        return positions;
    }

    Map<String, List<Effect>> cash() {
        return cash;
    }

    Optional<Instant> firstTransaction() {
        return firstTransaction;
    }

    /** @return the lowest value the asset's quantity ran through up to {@code upTo}, starting from 0 */
    BigDecimal lowestRunning(String asset, Instant upTo) {
        return Reconciler.lowestRunning(effectsOf(asset), upTo);
    }

    /**
     * @return the lowest value the asset's quantity ran through up to {@code upTo}, starting from 0, before the
     *         history first added to it: below 0 only when the history spends the asset before anything of it
     *         arrives, the one sign that it was held before its first imported record
     */
    BigDecimal lowestBeforeFirstInflow(String asset, Instant upTo) {
        return Reconciler.lowestBeforeFirstInflow(effectsOf(asset), upTo);
    }

    /** @return the asset's effects one by one, in date order, read once when this history is a checkpoint's */
    List<Effect> effectsOf(String asset) {
        return whole().positions.getOrDefault(asset, List.of());
    }

    /** @return the account's records in date order, read once when this history is a checkpoint's */
    List<Transaction> records() {
        return whole().records;
    }

    /** @return this history when it was built from every record, else the whole history, read once */
    private EffectHistory whole() {
        if (whole == null) {
            return this;
        }
        if (wholeRead == null) {
            wholeRead = whole.get();
        }
        return wholeRead;
    }

    /**
     * Folds the effects between consecutive snapshot instants into one entry at the later instant, their sum: a sum
     * up to any of those instants is unchanged, and a record written later, whatever its date, adds to it exactly.
     * The effects after the last instant are kept one by one, since a later snapshot may fall between them.
     *
     * @param boundaries distinct snapshot instants, ascending
     */
    List<ReconciliationCheckpoint.Entry> folded(List<Instant> boundaries) {
        List<ReconciliationCheckpoint.Entry> out = new ArrayList<>();
        positions.forEach((asset, effects) -> fold(false, asset, effects, boundaries, out));
        cash.forEach((asset, effects) -> fold(true, asset, effects, boundaries, out));
        return out;
    }

    private static void fold(boolean cashLeg, String asset, List<Effect> effects, List<Instant> boundaries,
                             List<ReconciliationCheckpoint.Entry> out) {
        int i = 0;
        BigDecimal sum = null;
        for (Effect e : effects) {
            while (i < boundaries.size() && e.date().isAfter(boundaries.get(i))) {
                if (sum != null) {
                    out.add(new ReconciliationCheckpoint.Entry(cashLeg, asset, boundaries.get(i), sum));
                    sum = null;
                }
                i++;
            }
            if (i == boundaries.size()) {
                out.add(new ReconciliationCheckpoint.Entry(cashLeg, asset, e.date(), e.delta()));
            } else {
                // a zero sum is kept: an asset the history moved is listed even when it nets to nothing
                sum = sum == null ? e.delta() : sum.add(e.delta());
            }
        }
        if (sum != null) {
            out.add(new ReconciliationCheckpoint.Entry(cashLeg, asset, boundaries.get(i), sum));
        }
    }
}
