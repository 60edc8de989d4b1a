package io.foliosync.examples.cli;

import io.foliosync.imports.SyncMode;
import io.foliosync.imports.SyncReport;
import io.foliosync.imports.reconcile.AccountReconciliation;
import java.io.PrintWriter;
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
 * Repairs the accounts that do not reconcile in one step: re-reads the whole history of the sources that synced
 * them (duplicates are skipped, a missing record is imported), then shows each account's new verdict.
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
            for (AccountReconciliation a : ws.store().reconciliations(Optional.empty())) {
                String id = ws.store().syncedBy(a.namespace(), a.accountId()).orElse(a.accountId());
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
            out.println("re-reading the whole history of " + String.join(", ", bySource.keySet())
                    + " (records already imported are skipped)");
            out.flush();
            SyncReport report = SyncCommand.run(ws, List.copyOf(bySource.keySet()), SyncMode.FULL_HISTORY,
                    new ProgressDisplay(out, System.console() != null));
            SyncCommand.printSummary(out, report);
            SyncCommand.printWarnings(out, report);
            RejectedCommand.printSyncRejections(out, ws.store(), report);
            boolean repaired = true;
            for (AccountReconciliation after : ws.store().reconciliations(Optional.empty())) {
                boolean wasBroken = bySource.values().stream().flatMap(List::stream).anyMatch(b ->
                        b.namespace().equals(after.namespace()) && b.accountId().equals(after.accountId()));
                if (!wasBroken) {
                    continue;
                }
                if (after.reconciles()) {
                    out.println("repaired: " + ReconcileCommand.verdict(after));
                } else {
                    repaired = false;
                    ReconcileCommand.printGap(out, after, ws.store().syncedBy(after.namespace(), after.accountId()));
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
}
