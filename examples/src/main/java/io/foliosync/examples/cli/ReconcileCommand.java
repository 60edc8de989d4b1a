package io.foliosync.examples.cli;

import io.foliosync.imports.reconcile.AccountReconciliation;
import io.foliosync.imports.reconcile.AssetReconciliation;
import io.foliosync.imports.reconcile.ReconciliationStatus;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Shows each account's latest reconciliation: what the source reports against what the history explains. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Shows, per account and asset, the quantity the source reports now against the quantity its "
                + "imported history explains, as checked after the account's last sync.")
final class ReconcileCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--source", paramLabel = "ID", description = "Only this account (kraken, ibkr-U1234567), or "
            + "every account of a provider (crypto_exchanges, ibkr).")
    String source;

    @Mixin
    FormatOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            List<AccountReconciliation> accounts = ws.query().reconciliations(Optional.empty()).stream()
                    .filter(a -> source == null || matches(a, source)).toList();
            List<List<Object>> rows = new ArrayList<>();
            for (AccountReconciliation a : accounts) {
                for (AssetReconciliation r : a.assets()) {
                    // a source that did not report positions has no quantity to show: empty (null in JSON), not 0
                    rows.add(Arrays.asList(a.namespace(), a.accountId(), r.asset(),
                            r.reportedQuantity().map(OutputFormat::number).orElse(null), OutputFormat.number(r.derived()),
                            r.reportedDifference().map(OutputFormat::number).orElse(null),
                            r.status().name().toLowerCase(Locale.ROOT),
                            r.openingQuantity().map(OutputFormat::number).map(Object.class::cast).orElse(""),
                            r.divergedOn().map(Object::toString).orElse(""),
                            r.agreedThrough().map(Object::toString).orElse(""),
                            // the sentences are long: a table counts them and prints them under it
                            output.format == OutputFormat.TABLE ? count(r.suspectRecords()) : r.suspectRecords(),
                            output.format == OutputFormat.TABLE ? count(r.countedOther()) : r.countedOther(),
                            new OutputFormat.FormattedNumber(a.dataQualityScore().toPlainString())));
                }
            }
            output.format.print(out, List.of("source", "account", "asset", "reported", "derived", "difference", "status",
                    "opening", "diverged_on", "agreed_through", "suspect_records", "counted_other", "account_score"),
                    rows, output.raw);
            if (output.format == OutputFormat.TABLE) {
                if (accounts.isEmpty()) {
                    out.println("no reconciliation yet: it runs after each account's sync");
                }
                accounts.stream().filter(a -> !a.reconciles())
                        .forEach(a -> printGap(out, a, ws.query().syncedBy(a.namespace(), a.accountId())));
                accounts.forEach(a -> a.assets().forEach(r -> r.countedOther().forEach(o -> out.println(
                        a.namespace() + " " + a.accountId() + ": " + r.asset() + " counts " + o
                                + " (its effect is unknown; counted because it explains the reported quantity)"))));
                accounts.stream().filter(a -> !a.notReconciled().isEmpty())
                        .forEach(a -> out.println(cashNote(a)));
                accounts.stream().filter(a -> !a.positionsNotReported().isEmpty())
                        .forEach(a -> out.println(a.namespace() + " " + a.accountId() + ": " + unreportedPart(a)));
                // whether a generic account's history explains its balances is the verdict above; the label says
                // why a gap there may be the XChange module's, not the exchange's
                GenericAccounts.print(out, GenericAccounts.of(ws), accounts.stream()
                        .flatMap(a -> java.util.stream.Stream.of(a.namespace(), a.accountId())).toList());
            }
            out.flush();
            return 0;
        }
    }

    /** An account id, a provider's namespace, or {@code namespace-account} as IBKR's gateway sources are named. */
    static boolean matches(AccountReconciliation a, String id) {
        return id.equals(a.namespace()) || id.equals(a.accountId())
                || id.equalsIgnoreCase(a.namespace() + "-" + a.accountId());
    }

    private static String count(List<String> sentences) {
        return sentences.isEmpty() ? "" : sentences.size() + " (below)";
    }

    /**
     * Prints what a user needs to act on an account that does not reconcile: its gaps, each asset's suspect
     * records, and the command that repairs it, naming the account's own source.
     *
     * @param sourceId the source that last synced the account, when known
     */
    static void printGap(PrintWriter out, AccountReconciliation a, Optional<String> sourceId) {
        out.println(describe(a));
        for (AssetReconciliation r : a.unexplained()) {
            r.suspectRecords().forEach(s -> out.println("  " + r.asset() + ": " + s));
        }
        out.println("  repair: `foliosync repair --source " + sourceId.orElse(a.accountId()) + "` (re-reads the "
                + "account's history " + (RepairCommand.readFrom(List.of(a)).isPresent() ? "from the day before the gap"
                : "whole") + ", then reconciles it again)");
    }

    /**
     * @return one line naming the account and every asset its history does not explain, by how much, grouped into
     *         gaps: assets that parted from the history in the same window (both legs of one missing trade) are one
     */
    static String describe(AccountReconciliation a) {
        List<AccountReconciliation.Gap> gaps = a.gaps();
        List<String> parts = new ArrayList<>();
        for (AccountReconciliation.Gap g : gaps) {
            String assets = String.join(" and ", g.assets().stream().map(r -> r.asset() + " off by "
                    + plain(r.difference()) + " (reported " + plain(r.reported()) + ", history " + plain(r.derived())
                    + ")").toList());
            String when = g.divergedOn().map(d -> g.after().map(f -> ", missing after " + f + ", on or before " + d)
                    .orElse(", since " + d)).orElse("");
            String together = g.assets().size() > 1 ? " (they part together, as both legs of one missing trade "
                    + "would)" : "";
            parts.add(assets + when + together);
        }
        return "does not reconcile: " + a.namespace() + " " + a.accountId() + ": " + gaps.size()
                + (gaps.size() == 1 ? " gap: " : " gaps: ") + String.join("; ", parts);
    }

    /**
     * @return one line per account: whether it reconciles, what explains each explained difference, and what was
     *         not checked
     */
    static String verdict(AccountReconciliation a) {
        if (!a.reconciles()) {
            return describe(a);
        }
        long matching = a.assets().stream().filter(r -> r.status() == ReconciliationStatus.MATCHES).count();
        List<String> opening = a.assets().stream()
                .filter(r -> r.status() == ReconciliationStatus.HISTORY_STARTS_AFTER_ACCOUNT)
                .map(r -> r.asset() + " " + r.openingQuantity().map(ReconcileCommand::plain).orElse("?")).toList();
        List<String> parts = new ArrayList<>();
        if (matching > 0) {
            parts.add(matching + (matching == 1 ? " asset matches" : " assets match") + " its history");
        }
        if (!opening.isEmpty()) {
            parts.add("the history starts after the account for " + String.join(", ", opening)
                    + " (the quantity held before its first record)");
        }
        List<String> counted = a.assets().stream().filter(r -> !r.countedOther().isEmpty())
                .map(r -> r.asset() + " (" + r.countedOther().size() + ")").toList();
        if (!counted.isEmpty()) {
            parts.add("OTHER-typed records counted for " + String.join(", ", counted)
                    + " (their effect is unknown; counted because they explain the reported quantity)");
        }
        if (!a.positionsNotReported().isEmpty()) {
            parts.add(unreportedPart(a));
        }
        if (!a.notReconciled().isEmpty()) {
            parts.add(cashPart(a));
        }
        if (parts.isEmpty()) {
            parts.add("nothing to check");
        }
        return "reconciles: " + a.namespace() + " " + a.accountId() + ": " + String.join("; ", parts);
    }

    /** @return why a broker account's cash shows without a verdict, and by how much it differs from its history */
    static String cashNote(AccountReconciliation a) {
        return a.namespace() + " " + a.accountId() + ": " + cashPart(a);
    }

    /** @return the assets left unchecked because the source did not report positions, with what the history holds */
    private static String unreportedPart(AccountReconciliation a) {
        List<String> parts = a.positionsNotReported().stream().map(r -> r.asset() + " " + plain(r.derived())).toList();
        return "no positions reported by the source, not checked (history: " + String.join(", ", parts) + ")";
    }

    private static String cashPart(AccountReconciliation a) {
        List<String> parts = a.notReconciled().stream().map(r -> r.asset() + " " + plain(r.reported())
                + " (history " + plain(r.derived()) + ")").toList();
        return "cash not reconciled: " + String.join(", ", parts)
                + " (broker histories rarely carry every cash movement: interest accruals, FX, sweeps)";
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }
}
