package io.foliosync.connectors.ibkr.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.Holding;
import io.foliosync.connectors.api.HoldingsReport;
import io.foliosync.connectors.ibkr.FlexStatementInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Gathers the holdings Flex statements state — {@code <OpenPositions>} (summary level) and the per-currency
 * ending cash of {@code <CashReport>} — statement by statement, and picks, for each account, those of its
 * latest statement: the one with the latest {@code toDate}, then the latest {@code whenGenerated}, then the
 * one read last. Positions and cash are picked separately, each from the latest statement that has the
 * section at all (a statement without an {@code <OpenPositions>} section says nothing about positions; one
 * with an empty section says there are none).
 *
 * <p>Feed it the items of any number of documents with {@link #accept(FlexXmlReader.Item)}, then call
 * {@link #latest()}. Not thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class FlexHoldings {
    private static final Comparator<Snapshot> ORDER = Comparator
            .comparing((Snapshot s) -> s.toDate.orElse(LocalDate.MIN))
            .thenComparing(s -> s.generated.orElse(Instant.MIN))
            .thenComparingInt(s -> s.sequence);

    private final List<Snapshot> snapshots = new ArrayList<>();
    private Snapshot current;

    /** One statement's holdings. */
    private static final class Snapshot {
        final String accountId;
        final Optional<LocalDate> toDate;
        final Optional<Instant> generated;
        final int sequence;
        final List<Holding> positions = new ArrayList<>();
        final List<Holding> cash = new ArrayList<>();
        boolean hasPositions;
        boolean hasCash;

        Snapshot(String accountId, Optional<LocalDate> toDate, Optional<Instant> generated, int sequence) {
            this.accountId = accountId;
            this.toDate = toDate;
            this.generated = generated;
            this.sequence = sequence;
        }
    }

    /** Takes note of one item of a document; items other than statements, sections and holdings are ignored. */
    public void accept(FlexXmlReader.Item item) {
        if (item instanceof FlexXmlReader.StatementItem st) {
            statement(st.info());
        } else if (item instanceof FlexXmlReader.SectionItem section) {
            Snapshot s = current("");
            if (section.name().equals(FlexXmlReader.OPEN_POSITIONS)) {
                s.hasPositions = true;
            } else if (section.name().equals(FlexXmlReader.CASH_REPORT)) {
                s.hasCash = true;
            }
        } else if (item instanceof FlexXmlReader.PositionItem p) {
            Snapshot s = current(p.holding().accountId());
            s.hasPositions = true;
            s.positions.add(p.holding());
        } else if (item instanceof FlexXmlReader.CashItem c) {
            Snapshot s = current(c.cash().accountId());
            s.hasCash = true;
            s.cash.add(c.cash());
        }
    }

    /** A new statement starts; what follows belongs to it. */
    public void statement(FlexStatementInfo info) {
        current = new Snapshot(info.accountId(), info.toDate(), info.whenGenerated(), snapshots.size());
        snapshots.add(current);
    }

    /** Ends the current document, so a following one never adds to its last statement. */
    public void endDocument() {
        current = null;
    }

    private Snapshot current(String accountId) {
        if (current == null) {
            statement(new FlexStatementInfo(accountId, Optional.empty(), Optional.empty(), Optional.empty()));
        }
        return current;
    }

    /**
     * @return per account, the open positions of its latest statement with an {@code <OpenPositions>} section
     *         followed by the cash of its latest statement with a {@code <CashReport>}; accounts in first-seen
     *         order
     */
    public List<Holding> latest() {
        return report().holdings();
    }

    /**
     * @return {@link #latest()}, with the accounts none of whose statements has an {@code <OpenPositions>} section:
     *         their positions were not reported (their cash may have been), which is not the same as none
     */
    public HoldingsReport report() {
        Map<String, Snapshot> positions = new LinkedHashMap<>();
        Map<String, Snapshot> cash = new LinkedHashMap<>();
        for (Snapshot s : snapshots) {
            String account = s.accountId;
            if (s.hasPositions) {
                positions.merge(account, s, (a, b) -> ORDER.compare(a, b) >= 0 ? a : b);
            }
            if (s.hasCash) {
                cash.merge(account, s, (a, b) -> ORDER.compare(a, b) >= 0 ? a : b);
            }
        }
        List<Holding> out = new ArrayList<>();
        for (Snapshot s : positions.values()) {
            out.addAll(s.positions);
        }
        for (Snapshot s : cash.values()) {
            out.addAll(s.cash);
        }
        Set<String> withoutPositions = new LinkedHashSet<>();
        for (Snapshot s : snapshots) {
            // a statement read before its account is known (a section ahead of any holding) has no account id
            if (!s.accountId.isEmpty() && !positions.containsKey(s.accountId)) {
                withoutPositions.add(s.accountId);
            }
        }
        return new HoldingsReport(out, withoutPositions);
    }
}
