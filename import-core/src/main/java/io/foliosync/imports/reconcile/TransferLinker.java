package io.foliosync.imports.reconcile;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.Transaction;
import io.foliosync.connectors.api.TransactionType;
import io.foliosync.imports.store.PortfolioStore;
import io.foliosync.imports.query.StoredTransaction;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links transfers between the user's own accounts: a withdrawal ({@code WITHDRAWAL}, {@code TRANSFER_OUT}) at one
 * account with the deposit ({@code DEPOSIT}, {@code TRANSFER_IN}) it became at another account, of any source and
 * namespace. Runs after each succeeded job over every record not linked yet, so a transfer is linked by the sync
 * that stores its second side, whichever that is.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li><b>Network transaction id</b> ({@code network_tx_id} attribute, compared trimmed and case-insensitively):
 *       a withdrawal and a deposit at two different accounts carrying the same id are linked. When more than one
 *       unlinked withdrawal or deposit carries the id (a batch transaction), they are paired by the amount rule
 *       below without its window; a pairing that stays ambiguous is not linked.</li>
 *   <li><b>Amount and window</b>, for the records left: same asset (the symbol, or the currency of a cash movement,
 *       case-insensitive), the deposit's quantity equal to the withdrawal's quantity or to it less the withdrawal's
 *       fee in that asset, within the asset's tolerance ({@link ReconciliationTolerances}: crypto when either side
 *       is a crypto exchange, fiat for cash movements, else securities), and the deposit's time within
 *       {@link #window()} after the withdrawal (the withdrawal's time included). Two records that both carry a
 *       network transaction id, different ones, are never linked by amount. Pairs are taken nearest in time
 *       first; each record is linked at most once. When a record has two candidates equally near, none of them is
 *       linked (logged): a wrong link would hide a real flow.</li>
 * </ol>
 * Both sides must be at different accounts (namespace and account id). Linking is idempotent: linked records are
 * not read again, and the store refuses a second link of either side.
 */
@API(status = INTERNAL, since = "0.1")
public final class TransferLinker {
    private static final Logger LOG = LoggerFactory.getLogger(TransferLinker.class);
    /** The default window: a withdrawal may take this long to be credited at the other side. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(48);
    /** The longest window accepted. */
    public static final Duration MAX_WINDOW = Duration.ofDays(30);
    static final String NETWORK_TX_ID = "network_tx_id";
    private static final String CRYPTO_TYPE = ConnectorType.CRYPTO_EXCHANGE.name().toLowerCase(Locale.ROOT);

    private final Duration window;
    private final ReconciliationTolerances tolerances;

    /**
     * @param window     how long after a withdrawal its deposit may arrive; positive, at most {@link #MAX_WINDOW}
     * @param tolerances how far quantities may differ and still be equal, per asset class
     */
    public TransferLinker(Duration window, ReconciliationTolerances tolerances) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("transfer link window must be positive and at most " + MAX_WINDOW
                    .toDays() + " days, was " + window);
        }
        this.window = window;
        this.tolerances = Objects.requireNonNull(tolerances, "tolerances");
    }

    public static TransferLinker defaults() {
        return new TransferLinker(DEFAULT_WINDOW, ReconciliationTolerances.defaults());
    }

    public Duration window() {
        return window;
    }

    /**
     * Links what can be linked among the store's unlinked transfer records and stores the links. Safe to run
     * concurrently with itself: a side another run linked meanwhile is refused by the store and skipped.
     *
     * @return the links stored by this run
     */
    public List<TransferLink> link(PortfolioStore store, Instant linkedAt) {
        List<TransferLink> links = match(store.unlinkedTransfers(), linkedAt);
        return links.isEmpty() ? List.of() : store.saveTransferLinks(links);
    }

    /**
     * The matching itself, without the store.
     *
     * @param candidates unlinked records, any type and order (only withdrawals and deposits are considered)
     * @return the links, by method then withdrawal time
     */
    public List<TransferLink> match(List<StoredTransaction> candidates, Instant linkedAt) {
        List<StoredTransaction> outs = new ArrayList<>();
        List<StoredTransaction> ins = new ArrayList<>();
        for (StoredTransaction t : candidates) {
            TransactionType type = t.transaction().type();
            if (type == TransactionType.WITHDRAWAL || type == TransactionType.TRANSFER_OUT) {
                outs.add(t);
            } else if (type == TransactionType.DEPOSIT || type == TransactionType.TRANSFER_IN) {
                ins.add(t);
            }
        }
        Comparator<StoredTransaction> byTime = Comparator.comparing((StoredTransaction t) -> t.transaction().date())
                .thenComparing(StoredTransaction::sourceName).thenComparing(t -> t.transaction().accountId())
                .thenComparing(StoredTransaction::recordId);
        outs.sort(byTime);
        ins.sort(byTime);
        Set<StoredTransaction> used = new HashSet<>();
        List<TransferLink> links = new ArrayList<>();

        // 1. by network transaction id
        Map<String, List<StoredTransaction>> outsById = new LinkedHashMap<>();
        Map<String, List<StoredTransaction>> insById = new LinkedHashMap<>();
        outs.forEach(t -> networkTxId(t).ifPresent(id -> outsById.computeIfAbsent(id, k -> new ArrayList<>()).add(t)));
        ins.forEach(t -> networkTxId(t).ifPresent(id -> insById.computeIfAbsent(id, k -> new ArrayList<>()).add(t)));
        for (Map.Entry<String, List<StoredTransaction>> e : outsById.entrySet()) {
            List<StoredTransaction> o = e.getValue();
            List<StoredTransaction> i = insById.getOrDefault(e.getKey(), List.of());
            if (i.isEmpty()) {
                continue;
            }
            if (o.size() == 1 && i.size() == 1) {
                if (!sameAccount(o.get(0), i.get(0))) {
                    links.add(link(o.get(0), i.get(0), TransferLinkMethod.NETWORK_TX_ID, linkedAt));
                    used.add(o.get(0));
                    used.add(i.get(0));
                }
                continue;
            }
            pairByAmount(o, i, null, TransferLinkMethod.NETWORK_TX_ID, used, links, linkedAt);
        }

        // 2. by asset, amount and window
        pairByAmount(outs, ins, window, TransferLinkMethod.AMOUNT_WINDOW, used, links, linkedAt);
        return links;
    }

    /**
     * Pairs {@code outs} with {@code ins} by amount, nearest in time first, skipping what is {@code used} and
     * leaving ambiguous pairs unlinked.
     *
     * @param window the longest time from withdrawal to deposit, or null for any time
     */
    private void pairByAmount(List<StoredTransaction> outs, List<StoredTransaction> ins, Duration window,
                              TransferLinkMethod method, Set<StoredTransaction> used, List<TransferLink> links,
                              Instant linkedAt) {
        List<Candidate> pairs = new ArrayList<>();
        for (StoredTransaction o : outs) {
            if (used.contains(o)) {
                continue;
            }
            for (StoredTransaction i : ins) {
                if (!used.contains(i) && matches(o, i, window, method == TransferLinkMethod.AMOUNT_WINDOW)) {
                    pairs.add(new Candidate(o, i, Duration.between(o.transaction().date(), i.transaction().date())
                            .abs()));
                }
            }
        }
        pairs.sort(Comparator.comparing(Candidate::gap));
        Set<StoredTransaction> ambiguous = new HashSet<>();
        for (Candidate p : pairs) {
            if (used.contains(p.out) || used.contains(p.in) || ambiguous.contains(p.out)
                    || ambiguous.contains(p.in)) {
                continue;
            }
            List<Candidate> ties = pairs.stream().filter(q -> q != p && q.gap.equals(p.gap)
                    && (q.out == p.out || q.in == p.in)
                    && !used.contains(q.out) && !used.contains(q.in)).toList();
            if (!ties.isEmpty()) {
                ambiguous.add(p.out);
                ambiguous.add(p.in);
                ties.forEach(q -> {
                    ambiguous.add(q.out);
                    ambiguous.add(q.in);
                });
                LOG.info("transfer not linked: {} {} {} at {} matches {} records equally well ({}); link none",
                        describe(p.out), quantityOf(p.out.transaction()).toPlainString(), asset(p.out.transaction()),
                        p.out.transaction().date(), ties.size() + 1, method.dbValue());
                continue;
            }
            used.add(p.out);
            used.add(p.in);
            links.add(link(p.out, p.in, method, linkedAt));
        }
    }

    private boolean matches(StoredTransaction o, StoredTransaction i, Duration window, boolean checkIds) {
        if (sameAccount(o, i)) {
            return false;
        }
        Transaction out = o.transaction();
        Transaction in = i.transaction();
        String asset = asset(out);
        if (!asset.equals(asset(in))) {
            return false;
        }
        if (window != null && (in.date().isBefore(out.date())
                || Duration.between(out.date(), in.date()).compareTo(window) > 0)) {
            return false;
        }
        if (checkIds) {
            Optional<String> a = networkTxId(o);
            Optional<String> b = networkTxId(i);
            if (a.isPresent() && b.isPresent() && !a.equals(b)) {
                return false;
            }
        }
        BigDecimal sent = quantityOf(out);
        BigDecimal received = quantityOf(in);
        Tolerance tol = tolerances.of(assetClass(o, i));
        if (tol.accepts(sent.subtract(received), sent)) {
            return true;
        }
        BigDecimal fee = out.fees();
        boolean feeInAsset = fee.signum() > 0
                && out.feeCurrency().orElse(out.currency()).toUpperCase(Locale.ROOT).equals(asset);
        return feeInAsset && tol.accepts(sent.subtract(fee).subtract(received), sent);
    }

    private static AssetClass assetClass(StoredTransaction o, StoredTransaction i) {
        if (o.transaction().symbol().isEmpty()) {
            return AssetClass.CASH;
        }
        return CRYPTO_TYPE.equals(o.sourceType()) || CRYPTO_TYPE.equals(i.sourceType())
                ? AssetClass.CRYPTO : AssetClass.STOCK;
    }

    private static boolean sameAccount(StoredTransaction a, StoredTransaction b) {
        return a.sourceName().equals(b.sourceName()) && a.transaction().accountId().equals(b.transaction().accountId());
    }

    private static Optional<String> networkTxId(StoredTransaction t) {
        String id = t.transaction().attributes().get(NETWORK_TX_ID);
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(id.trim().toLowerCase(Locale.ROOT));
    }

    /** @return the asset moved: the symbol, or the currency of a cash movement, upper case */
    static String asset(Transaction t) {
        return t.symbol().orElse(t.currency()).toUpperCase(Locale.ROOT);
    }

    /** @return the quantity moved: the quantity of a symbol, or the amount of a cash movement */
    static BigDecimal quantityOf(Transaction t) {
        return t.symbol().isPresent() ? t.quantity() : t.amount();
    }

    private static TransferLink link(StoredTransaction o, StoredTransaction i, TransferLinkMethod method,
                                     Instant linkedAt) {
        return new TransferLink(o.sourceName(), o.transaction().accountId(), o.recordId(), i.sourceName(),
                i.transaction().accountId(), i.recordId(), asset(o.transaction()), quantityOf(o.transaction()),
                method, linkedAt);
    }

    private static String describe(StoredTransaction t) {
        return t.sourceName() + "/" + t.transaction().accountId() + "/" + t.recordId();
    }

    private record Candidate(StoredTransaction out, StoredTransaction in, Duration gap) {
    }
}
