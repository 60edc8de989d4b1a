package io.foliosync.examples.cli;

import io.foliosync.imports.SyncReport;
import io.foliosync.imports.reconcile.AccountReconciliation;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Repairs the accounts that do not reconcile in one step: re-reads the sources that synced them from the day before
 * their gaps' windows open (the whole history when a gap has no earlier day that agreed; a source that cannot read
 * a window reads it all), imports what was missing (duplicates are skipped), then shows each account's new verdict.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Re-reads the history of every account that does not reconcile (or of the named source's), "
                + "imports what was missing, and reconciles it again. Exit code 1 when an account still does not "
                + "reconcile or a source failed.")
final class RepairCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--source", paramLabel = "ID", description = "Only this source's accounts (kraken, "
            + "ibkr-U1234567), or every account of a provider (crypto_exchanges, ibkr).")
    String source;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, true, System.getenv())) {
            // each source to re-read, with the accounts of it that do not reconcile
            Map<String, List<AccountReconciliation>> bySource = new LinkedHashMap<>();
            for (AccountReconciliation a : ws.query().reconciliations(Optional.empty())) {
                String id = ws.query().syncedBy(a.namespace(), a.accountId()).orElse(a.accountId());
                if (!a.reconciles() && (source == null || source.equals(id) || ReconcileCommand.matches(a, source))) {
                    bySource.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(a);
                }
            }
            if (bySource.isEmpty()) {
                out.println(source == null ? "every account reconciles: nothing to repair"
                        : "no account of " + source + " needs repair (`foliosync reconcile` shows every account)");
                out.flush();
                return 0;
            }
            bySource.forEach((id, accounts) -> accounts.forEach(a -> out.println("repairing " + id + ": "
                    + ReconcileCommand.describe(a))));
            Map<String, Optional<Instant>> readFrom = new LinkedHashMap<>();
            bySource.forEach((id, accounts) -> {
                Optional<Instant> from = readFrom(accounts);
                readFrom.put(id, from);
                out.println("re-reading " + id + from.map(f -> " from " + LocalDate.ofInstant(f, ZoneOffset.UTC)
                        + " (the day before the last day its history agreed with the source; a source that cannot "
                        + "read a window reads it all)").orElse(": its whole history (no day before the gap agreed)")
                        + "; records already imported are skipped");
            });
            out.flush();
            SyncReport report;
            try {
                report = ws.folio(new ProgressDisplay(out, System.console() != null)).repair(readFrom);
            } catch (IllegalArgumentException e) {
                throw new io.foliosync.connectors.api.ConfigurationException(null, "repair: " + e.getMessage()
                        + " (the source that synced the account is no longer configured)");
            }
            SyncCommand.printSummary(out, report);
            SyncCommand.printWarnings(out, report);
            RejectedCommand.printSyncRejections(out, ws.query(), report);
            boolean repaired = true;
            for (AccountReconciliation after : ws.query().reconciliations(Optional.empty())) {
                boolean wasBroken = bySource.values().stream().flatMap(List::stream).anyMatch(b ->
                        b.namespace().equals(after.namespace()) && b.accountId().equals(after.accountId()));
                if (!wasBroken) {
                    continue;
                }
                if (after.reconciles()) {
                    out.println("repaired: " + ReconcileCommand.verdict(after));
                } else {
                    repaired = false;
                    ReconcileCommand.printGap(out, after, ws.query().syncedBy(after.namespace(), after.accountId()));
                    out.println("  still not reconciled after re-reading the source's whole history: the source "
                            + "no longer lists the missing record, or it reports a movement FolioSync cannot map "
                            + "(see docs/reconciliation.md)");
                }
            }
            out.flush();
            int sync = Errors.of(report);
            return sync != 0 ? sync : repaired ? 0 : Errors.FAILED;
        }
    }

    /**
     * @return where a source's re-read starts: the day before the earliest day its accounts' gaps last agreed (the
     *         missing record lies after it), or empty (the whole history) when a gap has no such day
     */
    static Optional<Instant> readFrom(List<AccountReconciliation> accounts) {
        Optional<LocalDate> earliest = Optional.empty();
        for (AccountReconciliation a : accounts) {
            for (AccountReconciliation.Gap g : a.gaps()) {
                if (g.after().isEmpty()) {
                    return Optional.empty();
                }
                LocalDate d = g.after().get();
                earliest = earliest.filter(e -> e.isBefore(d)).or(() -> Optional.of(d));
            }
        }
        return earliest.map(d -> d.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
