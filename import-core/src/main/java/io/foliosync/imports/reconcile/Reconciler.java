package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.CurrencyCodes;
import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.query.HoldingSnapshot;
import io.foliosync.imports.query.StoredTransaction;
import io.foliosync.imports.store.AccountWrites;
import io.foliosync.imports.store.PortfolioStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Reconciles one account: per asset, the quantity the source reports now against the quantity derived from the
 * imported (normalized: non-negative quantities, direction in the type) history.
 *
 * <h2>What each transaction type does to the derived quantity</h2>
 * <ul>
 *   <li>{@code BUY}: + quantity of the symbol; − amount of {@code currency} (the cash leg).</li>
 *   <li>{@code SELL}: − quantity of the symbol; + amount of {@code currency}.</li>
 *   <li>{@code DEPOSIT}, {@code TRANSFER_IN}, {@code REWARD}: + quantity of the symbol, or + amount of
 *       {@code currency} for a cash movement (no symbol).</li>
 *   <li>{@code WITHDRAWAL}, {@code TRANSFER_OUT}: − quantity of the symbol, or − amount of {@code currency}.</li>
 *   <li>{@code INTEREST}: on a crypto account with a symbol, + quantity of the symbol (interest in kind);
 *       otherwise + amount of {@code currency} (cash).</li>
 *   <li>{@code DIVIDEND}: + amount of {@code currency}; never units (a reinvested dividend arrives as a BUY).</li>
 *   <li>{@code TAX}, {@code FEE}: − amount of {@code currency}. A FEE's units are ambiguous (some sources put the
 *       fee in {@code amount}, some in {@code fees}); only {@code amount} is taken, plus the {@code fees} field
 *       like any other record's, so nothing is subtracted twice.</li>
 *   <li>{@code SPLIT}: ± quantity of the symbol: the quantity is the <em>change</em> in the position (IBKR's
 *       corporate action rows, Schwab's split rows), not a ratio; a reverse split is one whose original sign was
 *       negative (attribute {@code original_sign=negative}, kept by the normalizer).</li>
 *   <li>{@code OTHER}: nothing at first. Its effect is unknown (a staking allocation, an unmapped corporate
 *       action), so it is not guessed; the asset it moved is listed all the same (nothing vanishes). When that
 *       asset does not reconcile, its OTHER records are tried in the direction the source reported (attribute
 *       {@code direction=out} or {@code original_sign=negative} for an outflow): if that explains the reported
 *       quantities they are counted and named ({@link AssetReconciliation#countedOther()}), otherwise the asset is
 *       {@code UNEXPLAINED} with them named, raw type included, among its suspect records.</li>
 *   <li>Every record's {@code fees}: − fees of {@code fee_currency} (of {@code currency} when absent), so a fee
 *       paid in a third asset (BNB) is subtracted from that asset.</li>
 * </ul>
 *
 * <h2>What is reconciled</h2>
 * <ul>
 *   <li>Crypto exchange accounts: every asset, the currency legs of trades and fees included (the quote
 *       currency, USDT or EUR, is an asset the exchange reports like any other).</li>
 *   <li>Broker accounts: the instruments. Cash is <strong>not</strong> checked: broker histories rarely carry every
 *       cash movement (accrued interest, FX conversions, margin, sweeps), so a cash difference would be noise rather
 *       than a gap. Each cash currency the broker reports is listed with {@link ReconciliationStatus#NOT_RECONCILED},
 *       beside what the history's cash legs explain, so the user sees that it was left out and by how much they
 *       differ. FX trades (attribute {@code assetCategory=CASH}) move no position.</li>
 *   <li>Bank accounts ({@code source_type = bank}): per currency, the statement balance (the running balance of
 *       the newest statement day, or a cash holding the plugin reports after it) against the signed sum of the
 *       lines (attribute {@code signed_amount}); the opening balance is the first day's running balance minus
 *       that day's lines, and every later day's running balance is checked against the lines. A statement without
 *       running balances (OFX) has an unknown opening: the first reported balance (the plugin's
 *       {@code getBalance}, stored as a cash holding) fixes it ({@code HISTORY_STARTS_AFTER_ACCOUNT} with that
 *       opening), and every later reported balance is checked against the lines between.</li>
 * </ul>
 *
 * <h2>Verdict per asset</h2>
 * The derived quantity is taken as of the latest snapshot (a record after it is not yet in what the source
 * reported). When the oldest stored snapshot predates the account's first imported transaction (or there is no
 * history), the history starts after the account: the opening quantity is what that snapshot held minus what the
 * history explains up to it. When the history spends the asset before anything of it arrives, drives it below
 * zero, and an opening quantity equal to the difference keeps it non-negative throughout, the history also starts
 * after the account: only an opening balance explains it. (A missing first buy followed by a sell looks the same;
 * this cannot be told apart.) A history that first receives the asset and later runs short gets that opening
 * only while every other asset of the account reconciles: when another does not, the shortfall is the other leg
 * of a missing trade (a sale's proceeds) and both are unexplained, one gap. Otherwise the opening quantity is zero.
 * Then:
 * {@code MATCHES} (or {@code HISTORY_STARTS_AFTER_ACCOUNT} with an opening quantity) when every stored snapshot
 * agrees with the history within the asset class's {@link Tolerance}; else {@code UNEXPLAINED} with the
 * difference and the date of the first snapshot that disagrees. An asset no snapshot ever held and whose history
 * nets to zero matches. An account with no stored snapshot (a source that reports no holdings) is not reconciled.
 * When the latest snapshot did not report positions at all (a Flex statement without an Open Positions section),
 * every asset is {@code NO_POSITIONS_REPORTED}: shown with what the history explains, never judged against 0; a
 * snapshot without positions never counts as a quantity in the other verdicts either.
 *
 * <h2>Where an unexplained asset parts from its history</h2>
 * Only for an asset that does not reconcile, its records are read back (from the whole history when the check
 * continued from a checkpoint): the source's running balances kept on its records ({@code balance_after}: a Kraken
 * ledger entry's {@code balance}) are walked against the history; the first that parts from it gives
 * {@link AssetReconciliation#divergedOn()}, the one before it that agreed {@link AssetReconciliation#agreedThrough()},
 * and a sentence naming both entries and the amount missing goes to the suspect records. When the asset's first
 * running balance already holds more than the history and every later one agrees, the source itself states an
 * opening: {@code HISTORY_STARTS_AFTER_ACCOUNT}. A bank statement's balance its lines do not explain is named
 * likewise. Assets whose windows overlap form one gap ({@link AccountReconciliation#gaps()}).
 */
@API(status = INTERNAL, since = "0.1")
public final class Reconciler {
    /** The attribute a plugin's balance carries as a cash holding: when the bank stated it. */
    static final String BALANCE_AS_OF = "balance_as_of";
    private final ReconciliationTolerances tolerances;

    public Reconciler(ReconciliationTolerances tolerances) {
        this.tolerances = Objects.requireNonNull(tolerances, "tolerances");
    }

    public static Reconciler defaults() {
        return new Reconciler(ReconciliationTolerances.defaults());
    }

    public ReconciliationTolerances tolerances() {
        return tolerances;
    }

    /**
     * Reads an account's snapshots and history from the store and reconciles it (stores nothing).
     *
     * @param sourceType the source's type ({@code crypto_exchange}, {@code broker}, {@code bank}, …)
     * @return the result, or empty when the account has nothing to reconcile against
     */
    public Optional<AccountReconciliation> reconcile(PortfolioStore store, String sourceType, String namespace,
                                                     String accountId, Instant checkedAt) {
        List<HoldingSnapshot> snapshots = store.holdingSnapshots(namespace, accountId);
        AccountKind kind = AccountKind.of(sourceType);
        if (snapshots.isEmpty() && kind != AccountKind.BANK) {
            // nothing reported to compare with (holdings() answers nothing): don't read the whole history back
            return Optional.empty();
        }
        return reconcile(kind, namespace, accountId, snapshots, history(store, namespace, accountId), checkedAt);
    }

    /**
     * Like {@link #reconcile(PortfolioStore, String, String, String, Instant)} after a job, reading only what jobs
     * wrote since the account's {@link ReconciliationCheckpoint} where one applies, and leaving a new checkpoint
     * that covers {@code jobId}: the cost follows what the job wrote, not the size of the history. A bank account
     * is read whole (its verdict reads each statement line's running balance).
     *
     * @param jobId the job just finished: every record of the account that it or an earlier job wrote is stored
     */
    public Optional<AccountReconciliation> reconcile(PortfolioStore store, String sourceType, String namespace,
                                                     String accountId, long jobId, Instant checkedAt) {
        return reconcile(store, sourceType, namespace, accountId, jobId, checkedAt, Set.of());
    }

    /**
     * Like {@link #reconcile(PortfolioStore, String, String, String, long, Instant)} for an account other sources
     * write too (IBKR's gateway and its Flex files). A checkpoint says "every row a job up to N wrote, and no other";
     * a job of another source that ran while this check read (or whose id is above {@code jobId} and whose rows were
     * read) would break that, counting its rows twice or missing the rest of them. So the checkpoint is left only
     * when none of those sources had a job running from before the read until the save and none started in
     * between, and it then covers the newest of their jobs too. The verdict is the same either way; the next check
     * with none of them running leaves one.
     *
     * @param alsoWriting the ids of the other sources that write the account's namespace
     */
    public Optional<AccountReconciliation> reconcile(PortfolioStore store, String sourceType, String namespace,
                                                     String accountId, long jobId, Instant checkedAt,
                                                     Set<String> alsoWriting) {
        AccountKind kind = AccountKind.of(sourceType);
        if (kind == AccountKind.BANK) {
            return reconcile(store, sourceType, namespace, accountId, checkedAt);
        }
        List<HoldingSnapshot> snapshots = store.holdingSnapshots(namespace, accountId);
        if (snapshots.isEmpty()) {
            return Optional.empty();
        }
        List<Instant> boundaries = snapshots.stream().map(HoldingSnapshot::asOf).distinct().sorted().toList();
        Writers before = Writers.of(store, alsoWriting, jobId);
        Supplier<EffectHistory> whole = () -> EffectHistory.of(kind, history(store, namespace, accountId));
        EffectHistory history = store.reconciliationCheckpoint(namespace, accountId)
                .flatMap(cp -> continued(store, cp, kind, boundaries, whole))
                .orElseGet(whole);
        Optional<AccountReconciliation> result = reconcile(kind, namespace, accountId, snapshots, history, checkedAt);
        Writers after = Writers.of(store, alsoWriting, jobId);
        if (before.running() || after.running() || after.newest() != before.newest()) {
            return result; // see the method comment
        }
        Instant last = boundaries.get(boundaries.size() - 1);
        store.saveReconciliationCheckpoint(new ReconciliationCheckpoint(namespace, accountId, kind,
                Math.max(jobId, before.newest()),
                Optional.of(last), boundaries.size(), history.firstTransaction(), history.folded(boundaries),
                checkedAt));
        return result;
    }

    /**
     * @return the checkpoint's history with what was written after it (a record dated within the folded span, as a
     *         statement delivered days late holds, adds to its interval's sum), or empty when the checkpoint cannot
     *         carry on: a record rewritten in place (what it held before is gone), a new snapshot inside the
     *         folded span (an interval would have to be split), or another kind of account
     */
    private static Optional<EffectHistory> continued(PortfolioStore store, ReconciliationCheckpoint cp,
                                                     AccountKind kind, List<Instant> boundaries,
                                                     Supplier<EffectHistory> whole) {
        if (cp.kind() != kind) {
            return Optional.empty();
        }
        long foldedBoundaries = cp.foldedThrough()
                .map(t -> boundaries.stream().filter(b -> !b.isAfter(t)).count()).orElse(0L);
        if (foldedBoundaries != cp.foldedSnapshots()) {
            return Optional.empty();
        }
        AccountWrites writes = store.writtenAfter(cp.namespace(), cp.accountId(), cp.throughJobId());
        if (writes.rewritten()) {
            return Optional.empty();
        }
        List<Transaction> added = writes.inserted().stream().map(StoredTransaction::transaction)
                .filter(t -> t.accountId().equals(cp.accountId())).toList();
        EffectHistory h = EffectHistory.of(cp, whole);
        h.add(added);
        return Optional.of(h);
    }

    /**
     * The other sources' newest jobs (an older job of a source cannot run beside its newest: one sync of a source at
     * a time).
     *
     * @param running whether one of them is running
     * @param newest  the highest of their ids, 0 without any
     */
    private record Writers(boolean running, long newest) {
        static Writers of(PortfolioStore store, Set<String> sources, long jobId) {
            boolean running = false;
            long newest = 0;
            for (String id : sources) {
                for (var job : store.jobs(Optional.of(id), 1)) {
                    if (job.id() != jobId) {
                        running |= job.status() == io.foliosync.imports.JobStatus.RUNNING;
                        newest = Math.max(newest, job.id());
                    }
                }
            }
            return new Writers(running, newest);
        }
    }

    private static List<Transaction> history(PortfolioStore store, String namespace, String accountId) {
        return store.transactions(namespace, accountId).stream().map(StoredTransaction::transaction).toList();
    }

    /**
     * @param snapshots the account's stored holdings snapshots, any order
     * @param history   the account's normalized transactions, any order
     * @return the result, or empty when the account has nothing to reconcile against
     */
    public Optional<AccountReconciliation> reconcile(AccountKind kind, String namespace, String accountId,
                                                     List<HoldingSnapshot> snapshots, List<Transaction> history,
                                                     Instant checkedAt) {
        List<HoldingSnapshot> snaps = snapshots.stream().sorted(Comparator.comparing(HoldingSnapshot::asOf)
                .thenComparingLong(HoldingSnapshot::id)).toList();
        List<Transaction> txs = history.stream().filter(t -> t.accountId().equals(accountId))
                .sorted(Comparator.comparing(Transaction::date)).toList();
        if (kind == AccountKind.BANK) {
            return result(namespace, accountId, bank(snaps, txs), checkedAt);
        }
        return reconcile(kind, namespace, accountId, snaps, EffectHistory.of(kind, txs), checkedAt);
    }

    Optional<AccountReconciliation> reconcile(AccountKind kind, String namespace, String accountId,
                                              List<HoldingSnapshot> snapshots, EffectHistory history,
                                              Instant checkedAt) {
        List<HoldingSnapshot> snaps = snapshots.stream().sorted(Comparator.comparing(HoldingSnapshot::asOf)
                .thenComparingLong(HoldingSnapshot::id)).toList();
        return result(namespace, accountId, holdings(kind, snaps, history), checkedAt);
    }

    private static Optional<AccountReconciliation> result(String namespace, String accountId,
                                                          List<AssetReconciliation> assets, Instant checkedAt) {
        if (assets == null) {
            return Optional.empty();
        }
        return Optional.of(new AccountReconciliation(namespace, accountId,
                assets.stream().sorted(Comparator.comparing(AssetReconciliation::asset)).toList(), checkedAt));
    }

    // ------------------------------------------------------------------ brokers and exchanges

    private List<AssetReconciliation> holdings(AccountKind kind, List<HoldingSnapshot> all, EffectHistory history) {
        if (all.isEmpty()) {
            return null;
        }
        if (!all.get(all.size() - 1).positionsReported()) {
            return positionsNotReported(kind, all, history);
        }
        // a snapshot without positions (its statement had no Open Positions) says nothing about them: only the
        // snapshots that reported positions are compared with the history
        List<HoldingSnapshot> snaps = all.stream().filter(HoldingSnapshot::positionsReported).toList();
        Map<String, List<Effect>> effects = history.positions();
        Map<String, AssetClass> classes = new HashMap<>();
        for (HoldingSnapshot s : snaps) {
            for (Holding h : s.holdings()) {
                if (counts(kind, h)) {
                    classes.put(h.symbol(), h.assetClass());
                }
            }
        }
        TreeSet<String> assets = new TreeSet<>(classes.keySet());
        assets.addAll(effects.keySet());
        boolean snapshotPredatesHistory = history.firstTransaction().map(d -> snaps.get(0).asOf().isBefore(d)).orElse(true);
        Map<String, AssetReconciliation> verdicts = new java.util.LinkedHashMap<>();
        // openings only a shortfall suggests, for an asset the history received before it ran short (see below)
        Map<String, AssetReconciliation> tentative = new HashMap<>();
        for (String asset : assets) {
            AssetClass cls = classes.getOrDefault(asset, inferClass(kind, asset));
            List<Point> points = new ArrayList<>();
            for (HoldingSnapshot s : snaps) {
                BigDecimal q = s.holdings().stream().filter(h -> h.symbol().equals(asset) && counts(kind, h))
                        .map(Holding::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                points.add(new Point(s.asOf(), q));
            }
            List<Effect> own = effects.getOrDefault(asset, List.of());
            AssetReconciliation verdict = assess(asset, cls, points, own, Optional.empty(), snapshotPredatesHistory,
                    upTo -> history.lowestRunning(asset, upTo), upTo -> history.lowestBeforeFirstInflow(asset, upTo));
            if (!verdict.reconciles()) {
                AssetReconciliation opened = assess(asset, cls, points, own, Optional.empty(),
                        snapshotPredatesHistory, upTo -> history.lowestRunning(asset, upTo), null);
                if (opened.status() == ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT) {
                    tentative.put(asset, opened);
                }
                // only an asset whose history does not explain it reads its records back, to say where to look
                verdict = locate(asset, cls, points, history, snapshotPredatesHistory, verdict);
            }
            verdicts.put(asset, verdict);
        }
        // A history that received the asset and later runs short by what an opening would fill (a dividend
        // reinvested, then a sale of shares held before) is an opening, unless another asset of the account does not
        // reconcile: then it is the other leg of a missing trade (a sale's proceeds), and both are the gap.
        boolean otherGap = verdicts.entrySet().stream()
                .anyMatch(e -> !e.getValue().reconciles() && !tentative.containsKey(e.getKey()));
        List<AssetReconciliation> out = new ArrayList<>();
        verdicts.forEach((asset, v) -> out.add(!v.reconciles() && tentative.containsKey(asset) && !otherGap
                ? tentative.get(asset) : v));
        if (kind == AccountKind.SECURITIES) {
            out.addAll(brokerCash(snaps, history));
        }
        return out;
    }

    /**
     * Says where an asset's difference lies, from the records of the asset (read back only for an asset that does
     * not reconcile):
     * <ol>
     *   <li>OTHER-typed records moved it: when counting them in their reported direction explains the reported
     *       quantities, they are counted and named ({@link AssetReconciliation#countedOther()}); otherwise each is
     *       named as a suspect, its effect unknown.</li>
     *   <li>The source's running balances (a Kraken ledger entry's {@code balance}, kept as {@code balance_after}):
     *       walked against the history, the first that parts from it dates the divergence, and the missing movement
     *       lies between it and the balance before, which agreed. When the very first running balance of the asset
     *       already holds more than its history and every later one agrees with that opening, the source itself
     *       says the asset was held before its first imported record: the history starts after the account.</li>
     * </ol>
     */
    private AssetReconciliation locate(String asset, AssetClass cls, List<Point> points, EffectHistory history,
                                       boolean snapshotPredatesHistory, AssetReconciliation verdict) {
        Tolerance tol = tolerances.of(cls);
        Instant latest = points.get(points.size() - 1).asOf();
        List<Transaction> ofAsset = history.records().stream()
                .filter(t -> t.symbol().orElse(t.currency()).equals(asset) && !t.date().isAfter(latest))
                .toList();
        List<Effect> effects = history.effectsOf(asset);
        List<Transaction> others = ofAsset.stream().filter(t -> t.type() == TransactionType.OTHER).toList();
        if (!others.isEmpty()) {
            List<Effect> counted = new ArrayList<>(effects);
            others.forEach(t -> counted.add(new Effect(t.date(), asset, otherDelta(t))));
            counted.sort(Comparator.comparing(Effect::date));
            AssetReconciliation withOthers = assess(asset, cls, points, counted, Optional.empty(),
                    snapshotPredatesHistory, upTo -> lowestRunning(counted, upTo),
                    upTo -> lowestBeforeFirstInflow(counted, upTo));
            if (withOthers.reconciles()) {
                return withCounted(withOthers, others.stream().map(t -> describeOther(t, asset)).toList());
            }
        }
        List<String> suspects = new ArrayList<>();
        others.forEach(t -> suspects.add(describeOther(t, asset) + ", not counted: its effect is unknown"));
        Optional<LocalDate> divergedOn = verdict.divergedOn();
        Optional<LocalDate> agreedThrough = verdict.agreedThrough();
        BigDecimal opening = verdict.openingQuantity().orElse(BigDecimal.ZERO);
        List<Transaction> lines = ofAsset.stream().filter(t -> t.attributes().containsKey("balance_after")).toList();
        Transaction agreed = null;
        for (int i = 0; i < lines.size(); i++) {
            Transaction line = lines.get(i);
            BigDecimal balance = new BigDecimal(line.attributes().get("balance_after"));
            BigDecimal explained = opening.add(sum(effects, line.date()));
            BigDecimal gap = balance.subtract(explained);
            if (tol.accepts(gap, balance)) {
                agreed = line;
                continue;
            }
            if (i == 0 && effects.stream().noneMatch(e -> e.date().isBefore(line.date()))) {
                Optional<AssetReconciliation> opened = openedBySource(asset, cls, points, effects, lines,
                        opening.add(gap));
                if (opened.isPresent()) {
                    return opened.get();
                }
            }
            LocalDate day = LocalDate.ofInstant(line.date(), ZoneOffset.UTC);
            divergedOn = Optional.of(day);
            // a snapshot that agreed before this balance is as good a bound as the balance before it
            agreedThrough = later(agreedThrough.filter(d -> d.isBefore(day)), agreed == null ? Optional.empty()
                    : Optional.of(LocalDate.ofInstant(agreed.date(), ZoneOffset.UTC)));
            String after = agreed == null ? "before it (no earlier running balance of " + asset + ")"
                    : "between " + LocalDate.ofInstant(agreed.date(), ZoneOffset.UTC) + " (entry "
                    + agreed.sourceId().orElse("?") + ", which agrees) and " + day;
            suspects.add(0, "the source's running balance after entry " + line.sourceId().orElse("?") + " on "
                    + day + " is " + plain(balance) + " " + asset + ", the history explains " + plain(explained)
                    + ": a movement of " + signedPlain(gap) + " " + asset + " is missing " + after);
            break;
        }
        if (agreed != null && agreed == lines.get(lines.size() - 1)) {
            agreedThrough = later(agreedThrough, Optional.of(LocalDate.ofInstant(agreed.date(), ZoneOffset.UTC)));
            suspects.add(0, "the source's running balance agrees with the history through entry "
                    + agreed.sourceId().orElse("?") + " on " + LocalDate.ofInstant(agreed.date(), ZoneOffset.UTC)
                    + ": the difference arose after it");
        }
        return new AssetReconciliation(asset, cls, verdict.reported(), verdict.derived(), verdict.difference(),
                verdict.status(), verdict.openingQuantity(), divergedOn, agreedThrough, suspects, List.of());
    }

    private static Optional<LocalDate> later(Optional<LocalDate> a, Optional<LocalDate> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.filter(d -> d.isAfter(a.get())).or(() -> a);
    }

    /**
     * @return the verdict with the opening the source's first running balance implies, when every later running
     *         balance and every snapshot agree with it; empty when one does not (the difference is not only an
     *         opening)
     */
    private Optional<AssetReconciliation> openedBySource(String asset, AssetClass cls, List<Point> points,
                                                         List<Effect> effects, List<Transaction> lines,
                                                         BigDecimal opening) {
        Tolerance tol = tolerances.of(cls);
        for (Transaction line : lines) {
            BigDecimal balance = new BigDecimal(line.attributes().get("balance_after"));
            if (!tol.accepts(balance.subtract(opening.add(sum(effects, line.date()))), balance)) {
                return Optional.empty();
            }
        }
        for (Point p : points) {
            if (!tol.accepts(p.quantity().subtract(opening.add(sum(effects, p.asOf()))), p.quantity())) {
                return Optional.empty();
            }
        }
        Point latest = points.get(points.size() - 1);
        BigDecimal derived = opening.add(sum(effects, latest.asOf()));
        return Optional.of(new AssetReconciliation(asset, cls, latest.quantity(), derived,
                latest.quantity().subtract(derived), ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT,
                Optional.of(opening), Optional.empty()));
    }

    private static AssetReconciliation withCounted(AssetReconciliation a, List<String> counted) {
        return new AssetReconciliation(a.asset(), a.assetClass(), a.reported(), a.derived(), a.difference(),
                a.status(), a.openingQuantity(), a.divergedOn(), a.agreedThrough(), List.of(), counted);
    }

    /** @return an OTHER record's change of its asset, in the direction the source reported */
    private static BigDecimal otherDelta(Transaction t) {
        BigDecimal q = t.symbol().isPresent() ? t.quantity() : t.amount();
        boolean out = "out".equals(t.attributes().get("direction"))
                || "negative".equals(t.attributes().get("original_sign"));
        return out ? q.negate() : q;
    }

    private static String describeOther(Transaction t, String asset) {
        return "OTHER record " + t.sourceId().orElse("?") + " of " + LocalDate.ofInstant(t.date(), ZoneOffset.UTC)
                + " (raw type '" + t.rawType().orElse("?") + "'): " + signedPlain(otherDelta(t)) + " " + asset;
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }

    private static String signedPlain(BigDecimal v) {
        return (v.signum() > 0 ? "+" : "") + plain(v);
    }

    /**
     * The latest snapshot did not report positions (a Flex statement without Open Positions): each asset the history
     * (or an earlier snapshot) holds is listed as {@link ReconciliationStatus#NO_POSITIONS_REPORTED} with what the
     * history explains, never compared with a quantity of 0; a broker account's cash, when reported, as usual.
     */
    private static List<AssetReconciliation> positionsNotReported(AccountKind kind, List<HoldingSnapshot> snaps,
                                                                  EffectHistory history) {
        HoldingSnapshot latest = snaps.get(snaps.size() - 1);
        Map<String, BigDecimal> derived = new TreeMap<>();
        Map<String, AssetClass> classes = new HashMap<>();
        history.positions().forEach((asset, effects) -> effects.stream()
                .filter(e -> !e.date().isAfter(latest.asOf()))
                .forEach(e -> derived.merge(asset, e.delta(), BigDecimal::add)));
        for (HoldingSnapshot s : snaps) {
            for (Holding h : s.holdings()) {
                if (counts(kind, h) && s.positionsReported()) {
                    classes.put(h.symbol(), h.assetClass());
                    derived.putIfAbsent(h.symbol(), BigDecimal.ZERO);
                }
            }
        }
        List<AssetReconciliation> out = new ArrayList<>();
        derived.forEach((asset, q) -> out.add(new AssetReconciliation(asset,
                classes.getOrDefault(asset, inferClass(kind, asset)), BigDecimal.ZERO, q, BigDecimal.ZERO,
                ReconciliationStatus.NO_POSITIONS_REPORTED, Optional.empty(), Optional.empty())));
        if (kind == AccountKind.SECURITIES) {
            out.addAll(brokerCash(snaps, history));
        }
        return out;
    }

    /**
     * A broker account's cash per currency: what the source reports beside what the history's cash legs explain,
     * status {@link ReconciliationStatus#NOT_RECONCILED} (see the class comment for why there is no verdict).
     */
    private static List<AssetReconciliation> brokerCash(List<HoldingSnapshot> snaps, EffectHistory history) {
        HoldingSnapshot latest = snaps.get(snaps.size() - 1);
        Map<String, BigDecimal> reported = new TreeMap<>();
        for (Holding h : latest.holdings()) {
            if (h.assetClass() == AssetClass.CASH && CurrencyCodes.isIso4217(h.currency())) {
                reported.merge(h.currency(), h.quantity(), BigDecimal::add);
            }
        }
        Map<String, BigDecimal> explained = new HashMap<>();
        history.cash().forEach((currency, effects) -> {
            if (reported.containsKey(currency)) {
                effects.stream().filter(e -> !e.date().isAfter(latest.asOf()))
                        .forEach(e -> explained.merge(currency, e.delta(), BigDecimal::add));
            }
        });
        List<AssetReconciliation> out = new ArrayList<>();
        reported.forEach((currency, q) -> {
            BigDecimal derived = explained.getOrDefault(currency, BigDecimal.ZERO);
            out.add(new AssetReconciliation(currency, AssetClass.CASH, q, derived, q.subtract(derived),
                    ReconciliationStatus.NOT_RECONCILED, Optional.empty(), Optional.empty()));
        });
        return out;
    }

    /** @return whether a holding is reconciled on this kind of account: brokers' cash is not, in this step */
    private static boolean counts(AccountKind kind, Holding h) {
        return kind != AccountKind.SECURITIES
                || (h.assetClass() != AssetClass.CASH && h.assetClass() != AssetClass.FOREX);
    }

    private static AssetClass inferClass(AccountKind kind, String asset) {
        if (CurrencyCodes.isIso4217(asset)) {
            return AssetClass.CASH;
        }
        return kind == AccountKind.CRYPTO ? AssetClass.CRYPTO : AssetClass.STOCK;
    }

    /** @return what one normalized record does to the quantities of the assets reconciled on this kind */
    static List<Effect> effects(AccountKind kind, Transaction t) {
        List<Effect> out = new ArrayList<>();
        Instant d = t.date();
        String sym = t.symbol().orElse(null);
        String cur = t.currency();
        BigDecimal q = t.quantity();
        BigDecimal amount = t.amount();
        // a cash leg is kept where cash is reconciled: on exchanges, or an asset that is no fiat currency
        java.util.function.BiConsumer<String, BigDecimal> cash = (asset, delta) -> {
            if (kind != AccountKind.SECURITIES || !CurrencyCodes.isIso4217(asset)) {
                out.add(new Effect(d, asset, delta));
            }
        };
        if (kind == AccountKind.SECURITIES && "CASH".equalsIgnoreCase(t.attributes().get("assetCategory"))) {
            // a broker's FX trade (IBKR EUR.USD) converts cash; its "symbol" is no position, and cash is not
            // checked on broker accounts
            return out;
        }
        switch (t.type()) {
            case BUY -> {
                if (sym != null) {
                    out.add(new Effect(d, sym, q));
                    if (!cur.equals(sym)) {
                        cash.accept(cur, amount.negate());
                    }
                }
            }
            case SELL -> {
                if (sym != null) {
                    out.add(new Effect(d, sym, q.negate()));
                    if (!cur.equals(sym)) {
                        cash.accept(cur, amount);
                    }
                }
            }
            case DEPOSIT, TRANSFER_IN, REWARD -> {
                if (sym != null) {
                    out.add(new Effect(d, sym, q));
                } else {
                    cash.accept(cur, amount);
                }
            }
            case WITHDRAWAL, TRANSFER_OUT -> {
                if (sym != null) {
                    out.add(new Effect(d, sym, q.negate()));
                } else {
                    cash.accept(cur, amount.negate());
                }
            }
            case INTEREST -> {
                if (sym != null && kind == AccountKind.CRYPTO) {
                    out.add(new Effect(d, sym, q));
                } else {
                    cash.accept(cur, amount);
                }
            }
            case DIVIDEND -> cash.accept(cur, amount);
            case TAX, FEE -> cash.accept(cur, amount.negate());
            case SPLIT -> {
                if (sym != null) {
                    boolean reverse = "negative".equals(t.attributes().get("original_sign"));
                    out.add(new Effect(d, sym, reverse ? q.negate() : q));
                }
            }
            case OTHER -> {
                // unknown effect: not guessed (see the class comment), but the asset is listed (a zero change)
                if (sym != null) {
                    out.add(new Effect(d, sym, BigDecimal.ZERO));
                } else {
                    cash.accept(cur, BigDecimal.ZERO);
                }
            }
        }
        if (t.fees().signum() > 0) {
            cash.accept(t.feeCurrency().orElse(cur), t.fees().negate());
        }
        return out;
    }

    // ------------------------------------------------------------------ banks

    private List<AssetReconciliation> bank(List<HoldingSnapshot> snaps, List<Transaction> txs) {
        Map<String, List<Transaction>> byCurrency = new TreeMap<>();
        txs.forEach(t -> byCurrency.computeIfAbsent(t.currency(), k -> new ArrayList<>()).add(t));
        Map<String, List<Point>> cashHoldings = new TreeMap<>();
        for (HoldingSnapshot s : snaps) {
            Map<String, BigDecimal> perCurrency = new HashMap<>();
            Map<String, Instant> asOf = new HashMap<>();
            s.holdings().stream().filter(h -> h.assetClass() == AssetClass.CASH).forEach(h -> {
                perCurrency.merge(h.currency(), h.quantity(), BigDecimal::add);
                asOf.merge(h.currency(), balanceAsOf(h, s.asOf()), (a, b) -> a.isAfter(b) ? a : b);
            });
            perCurrency.forEach((c, q) -> cashHoldings.computeIfAbsent(c, k -> new ArrayList<>())
                    .add(new Point(asOf.get(c), q)));
        }
        // a balance is compared with the lines up to the moment it was valid, not up to when it was synced: a
        // later statement's lines would otherwise count against an earlier balance
        cashHoldings.values().forEach(points -> points.sort(Comparator.comparing(Point::asOf)));
        TreeSet<String> currencies = new TreeSet<>(byCurrency.keySet());
        currencies.addAll(cashHoldings.keySet());
        List<AssetReconciliation> out = new ArrayList<>();
        for (String currency : currencies) {
            List<Transaction> lines = byCurrency.getOrDefault(currency, List.of());
            List<Effect> effects = lines.stream().map(t -> new Effect(t.date(), currency, signed(t))).toList();
            TreeMap<LocalDate, BigDecimal> dayEnds = dayEndBalances(lines);
            List<Point> holdings = cashHoldings.getOrDefault(currency, List.of());
            if (dayEnds.isEmpty()) {
                if (holdings.isEmpty()) {
                    continue; // no balance to compare with
                }
                // A statement without running balances (OFX lines) covers a period of a longer-lived account: its
                // opening balance is unknown, so the first reported balance fixes it and every later balance is
                // checked against the lines between them.
                out.add(assess(currency, AssetClass.CASH, holdings, effects, Optional.empty(), true,
                        upTo -> lowestRunning(effects, upTo), upTo -> lowestBeforeFirstInflow(effects, upTo)));
                continue;
            }
            List<Point> points = new ArrayList<>();
            dayEnds.forEach((day, balance) -> points.add(new Point(day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                    balance)));
            Point firstDay = points.get(0);
            BigDecimal opening = firstDay.quantity().subtract(sum(effects, firstDay.asOf()));
            // a cash balance the plugin reports after the statement's last day is the newest statement balance
            holdings.stream().filter(p -> p.asOf().isAfter(points.get(points.size() - 1).asOf()))
                    .reduce((a, b) -> b).ifPresent(points::add);
            AssetReconciliation verdict = assess(currency, AssetClass.CASH, points, effects, Optional.of(opening),
                    false, upTo -> lowestRunning(effects, upTo), upTo -> lowestBeforeFirstInflow(effects, upTo));
            out.add(verdict.reconciles() ? verdict : statementGap(verdict, points, effects, opening));
        }
        return out;
    }

    /**
     * @return the verdict with the balance that parts from the statement's lines named: the lines after the last
     *         day that agreed and up to that day lack one (or one is mis-stated) of the amount they differ by
     */
    private static AssetReconciliation statementGap(AssetReconciliation verdict, List<Point> points,
                                                    List<Effect> effects, BigDecimal opening) {
        Optional<Point> parted = verdict.divergedOn().flatMap(d -> points.stream()
                .filter(p -> LocalDate.ofInstant(p.asOf(), ZoneOffset.UTC).equals(d)).findFirst());
        if (parted.isEmpty()) {
            return verdict;
        }
        Point p = parted.get();
        BigDecimal explained = opening.add(sum(effects, p.asOf()));
        String window = verdict.agreedThrough().map(d -> "after " + d + " (whose balance agrees) and ").orElse("")
                + "on or before " + verdict.divergedOn().get();
        String suspect = "the statement's balance on " + verdict.divergedOn().get() + " is " + plain(p.quantity())
                + " " + verdict.asset() + ", its lines explain " + plain(explained) + ": a line of "
                + signedPlain(p.quantity().subtract(explained)) + " " + verdict.asset() + " is missing (or a line "
                + "is mis-stated) " + window;
        return new AssetReconciliation(verdict.asset(), verdict.assetClass(), verdict.reported(), verdict.derived(),
                verdict.difference(), verdict.status(), verdict.openingQuantity(), verdict.divergedOn(),
                verdict.agreedThrough(), List.of(suspect), List.of());
    }

    /** @return when a cash holding's amount was valid: the plugin's balance date, else the snapshot's time */
    private static Instant balanceAsOf(Holding h, Instant snapshotAt) {
        String at = h.attributes().get(BALANCE_AS_OF);
        if (at == null) {
            return snapshotAt;
        }
        try {
            return Instant.parse(at);
        } catch (java.time.format.DateTimeParseException e) {
            return snapshotAt;
        }
    }

    /** @return a statement line's signed amount: the plugin's, or the sign its type implies */
    private static BigDecimal signed(Transaction t) {
        String s = t.attributes().get("signed_amount");
        if (s != null) {
            return new BigDecimal(s);
        }
        return t.type().isInflow() ? t.amount() : t.amount().negate();
    }

    /** @return per statement day with running balances, the balance at the end of the day */
    private static TreeMap<LocalDate, BigDecimal> dayEndBalances(List<Transaction> lines) {
        Map<LocalDate, List<BankTransaction>> days = new TreeMap<>();
        for (Transaction t : lines) {
            String balance = t.attributes().get("balance_after");
            if (balance == null) {
                continue;
            }
            days.computeIfAbsent(t.tradeDate(), k -> new ArrayList<>()).add(new BankTransaction(
                    t.sourceId().orElse("line"), t.accountId(), t.tradeDate(), signed(t), t.currency(), "",
                    Optional.empty(), Optional.of(new BigDecimal(balance)), t.type(), Optional.empty()));
        }
        TreeMap<LocalDate, BigDecimal> out = new TreeMap<>();
        days.forEach((day, dayLines) -> BankTransaction.newestBalanceLine(dayLines, false)
                .flatMap(BankTransaction::balanceAfter).ifPresent(b -> out.put(day, b)));
        return out;
    }

    // ------------------------------------------------------------------ the verdict

    /**
     * @param points                  reported quantities over time, oldest first, at least one
     * @param effects                 the history's changes of this asset
     * @param statementOpening        a bank statement's opening balance, when known
     * @param snapshotPredatesHistory whether the oldest point is older than the account's history
     * @param lowestRunning           the lowest value the history ran through up to an instant
     * @param lowestBeforeInflow      the same, before the history first added to the asset; null to let any
     *                                shortfall an opening fills be one
     */
    private AssetReconciliation assess(String asset, AssetClass cls, List<Point> points, List<Effect> effects,
                                       Optional<BigDecimal> statementOpening, boolean snapshotPredatesHistory,
                                       Function<Instant, BigDecimal> lowestRunning,
                                       Function<Instant, BigDecimal> lowestBeforeInflow) {
        Tolerance tol = tolerances.of(cls);
        Point latest = points.get(points.size() - 1);
        BigDecimal reported = latest.quantity();
        BigDecimal history = sum(effects, latest.asOf());
        BigDecimal opening = BigDecimal.ZERO;
        if (statementOpening.isPresent()) {
            opening = statementOpening.get();
        } else if (snapshotPredatesHistory) {
            Point oldest = points.get(0);
            opening = oldest.quantity().subtract(sum(effects, oldest.asOf()));
        }
        boolean startsAfter = !tol.accepts(opening, reported);
        if (!startsAfter) {
            opening = BigDecimal.ZERO;
        }
        BigDecimal difference = reported.subtract(opening.add(history));
        if (!startsAfter && !tol.accepts(difference, reported) && difference.signum() > 0) {
            // Only an opening balance explains a history that would go below zero, and only one that precedes the
            // history: the asset must be spent before anything of it arrives. A history that received the asset
            // first and later runs short lacks a record after its start (the proceeds of a missing sale), which an
            // opening would hide.
            BigDecimal lowest = lowestRunning.apply(latest.asOf());
            if (lowest.signum() < 0 && !tol.accepts(lowest, reported)
                    && difference.add(lowest).add(tol.absolute()).signum() >= 0
                    && (lowestBeforeInflow == null
                    || !tol.accepts(lowestBeforeInflow.apply(latest.asOf()), reported))) {
                opening = difference;
                startsAfter = true;
                difference = BigDecimal.ZERO;
            }
        }
        BigDecimal derived = opening.add(history);
        Optional<LocalDate> divergedOn = Optional.empty();
        Optional<LocalDate> agreedThrough = Optional.empty();
        BigDecimal firstDivergence = null;
        for (Point p : points) {
            BigDecimal gap = p.quantity().subtract(opening.add(sum(effects, p.asOf())));
            if (!tol.accepts(gap, p.quantity())) {
                divergedOn = Optional.of(LocalDate.ofInstant(p.asOf(), ZoneOffset.UTC));
                firstDivergence = gap;
                break;
            }
            agreedThrough = Optional.of(LocalDate.ofInstant(p.asOf(), ZoneOffset.UTC));
        }
        ReconciliationStatus status;
        if (divergedOn.isEmpty()) {
            status = startsAfter ? ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT : ReconciliationStatus.MATCHES;
        } else {
            status = ReconciliationStatus.UNEXPLAINED;
            if (tol.accepts(difference, reported)) {
                difference = firstDivergence; // the latest agree, an earlier snapshot or balance did not
            }
        }
        return new AssetReconciliation(asset, cls, reported, derived, difference, status,
                startsAfter ? Optional.of(opening) : Optional.empty(), divergedOn,
                divergedOn.isPresent() ? agreedThrough : Optional.empty(), List.of(), List.of());
    }

    private static BigDecimal sum(List<Effect> effects, Instant upTo) {
        BigDecimal s = BigDecimal.ZERO;
        for (Effect e : effects) {
            if (!e.date().isAfter(upTo)) {
                s = s.add(e.delta());
            }
        }
        return s;
    }

    static BigDecimal lowestBeforeFirstInflow(List<Effect> effects, Instant upTo) {
        BigDecimal running = BigDecimal.ZERO;
        BigDecimal lowest = BigDecimal.ZERO;
        for (Effect e : effects.stream().sorted(Comparator.comparing(Effect::date)).toList()) {
            if (e.date().isAfter(upTo) || e.delta().signum() > 0) {
                break;
            }
            running = running.add(e.delta());
            lowest = lowest.min(running);
        }
        return lowest;
    }

    static BigDecimal lowestRunning(List<Effect> effects, Instant upTo) {
        BigDecimal running = BigDecimal.ZERO;
        BigDecimal lowest = BigDecimal.ZERO;
        for (Effect e : effects.stream().sorted(Comparator.comparing(Effect::date)).toList()) {
            if (e.date().isAfter(upTo)) {
                break;
            }
            running = running.add(e.delta());
            lowest = lowest.min(running);
        }
        return lowest;
    }

    /** A change of one asset's quantity at a moment. */
    record Effect(Instant date, String asset, BigDecimal delta) {
    }

    /** A reported quantity at a moment. */
    private record Point(Instant asOf, BigDecimal quantity) {
    }
}
