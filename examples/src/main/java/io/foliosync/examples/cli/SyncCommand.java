package io.foliosync.examples.cli;

import io.foliosync.imports.FolioSync;
import io.foliosync.imports.SyncMode;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.SinkOutcome;
import io.foliosync.imports.SyncReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the import orchestrator over every enabled source, or the ones named. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Imports every enabled source (or those named with --source) into the database.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every source synced and imported everything it read",
                "1:a source failed (the others still finished)",
                "2:the configuration or the command line is wrong; nothing synced",
                "3:every source synced, but records were rejected (see `foliosync rejected`)",
                "5:every source synced and imported everything, but a sink failed or refused records"})
final class SyncCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--source", paramLabel = "ID", description = "Sync only this account (kraken), or every "
            + "account of a section (crypto_exchanges); repeatable.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--full", description = "Re-read the whole history of the named accounts (the repair for a gap "
            + "`reconcile` shows); duplicates are skipped, then the accounts are reconciled again.")
    boolean full;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, true, System.getenv())) {
            if (full && sources.isEmpty()) {
                throw new io.foliosync.connectors.api.ConfigurationException(null, "--full re-reads whole "
                        + "histories: name the accounts with --source ID (or a section)");
            }
            SyncReport report = run(ws, sources, full ? SyncMode.FULL_HISTORY : SyncMode.INCREMENTAL,
                    new ProgressDisplay(out, System.console() != null));
            printSummary(out, report);
            printSinks(out, report);
            GenericAccounts.print(out, GenericAccounts.of(ws),
                    report.results().stream().map(io.foliosync.imports.JobResult::sourceId).toList());
            printWarnings(out, report);
            printTransferLinks(out, report);
            printUnreconciled(out, report);
            RejectedCommand.printSyncRejections(out, ws.query(), report);
            return Errors.of(report);
        }
    }

    /** Syncs every source FolioSync built from the configuration, or those named (an account or a section). */
    static SyncReport run(Workspace ws, List<String> only, io.foliosync.imports.ImportListener progress) {
        return run(ws, only, SyncMode.INCREMENTAL, progress);
    }

    static SyncReport run(Workspace ws, List<String> only, SyncMode mode, io.foliosync.imports.ImportListener progress) {
        FolioSync folio = ws.folio(progress);
        if (only.isEmpty()) {
            return folio.syncAll();
        }
        try {
            return folio.sync(only, mode);
        } catch (IllegalArgumentException e) {
            throw new io.foliosync.connectors.api.ConfigurationException(null, "--source: " + e.getMessage());
        }
    }

    /**
     * How many warnings a summary shows per source; the rest are counted, and logged at debug
     * ({@code -Dorg.slf4j.simpleLogger.log.io.foliosync.imports.JobRunner=debug}).
     */
    static final int WARNINGS_SHOWN_PER_SOURCE = 10;

    /**
     * The sources' warnings: what a source read but could not use in full (a statement file skipped, a malformed
     * field dropped) while the rest was imported. A count per source, then the first lines of each.
     */
    static void printWarnings(PrintWriter out, SyncReport report) {
        List<JobResult> warned = report.results().stream().filter(r -> !r.warnings().isEmpty()).toList();
        if (warned.isEmpty()) {
            return;
        }
        int total = warned.stream().mapToInt(r -> r.warnings().size()).sum();
        out.println();
        out.println(total + (total == 1 ? " warning" : " warnings") + " (" + String.join(", ", warned.stream()
                .map(r -> r.sourceId() + ": " + r.warnings().size()).toList()) + "):");
        for (JobResult r : warned) {
            r.warnings().stream().limit(WARNINGS_SHOWN_PER_SOURCE)
                    .forEach(w -> out.println("  " + r.sourceId() + ": " + Errors.oneLine(w.describe())));
            int more = r.warnings().size() - WARNINGS_SHOWN_PER_SOURCE;
            if (more > 0) {
                out.println("  " + r.sourceId() + ": ... and " + more + " more");
            }
        }
        out.flush();
    }

    /** One line per transfer between the user's own accounts this run linked. */
    static void printTransferLinks(PrintWriter out, SyncReport report) {
        report.transferLinks().forEach(l -> out.println("linked transfer: " + l.quantity().stripTrailingZeros()
                .toPlainString() + " " + l.symbol() + " from " + l.outSourceName() + " " + l.outAccountId() + " to "
                + l.inSourceName() + " " + l.inAccountId() + " (counted once; `foliosync transfers`)"));
        out.flush();
    }

    /** One line per account whose holdings its history does not explain, with what to do about it. */
    static void printUnreconciled(PrintWriter out, SyncReport report) {
        for (JobResult r : report.results()) {
            r.reconciliations().stream().filter(a -> !a.reconciles())
                    .forEach(a -> ReconcileCommand.printGap(out, a, Optional.of(r.sourceId())));
        }
        if (!report.unreconciled().isEmpty()) {
            out.println("  every asset: `foliosync reconcile`");
        }
        out.flush();
    }

    /** How many refusals a summary shows per sink and account; {@code foliosync status} has the last error. */
    static final int REFUSALS_SHOWN = 5;

    /**
     * One line per sink and account delivered after this run's jobs: what the destination took, updated and
     * refused, or why it failed; then the first refusals, each naming the record.
     */
    static void printSinks(PrintWriter out, SyncReport report) {
        List<SinkOutcome> outcomes = report.sinkOutcomes();
        if (outcomes.isEmpty()) {
            return;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (SinkOutcome o : outcomes) {
            rows.add(List.of(o.sinkId(), o.sourceName() + "/" + o.accountId(), o.delivery().created(),
                    o.delivery().updated(), o.delivery().skipped(), o.delivery().refused().size(), o.status(),
                    o.error().map(Errors::oneLine).orElse("")));
        }
        out.println();
        // skipped: records the sink has no form for by design (Ghostfolio's deposits), not errors
        OutputFormat.TABLE.print(out, List.of("sink", "account", "created", "updated", "skipped", "refused", "status",
                "error"), rows);
        for (SinkOutcome o : outcomes) {
            o.delivery().refused().stream().limit(REFUSALS_SHOWN).forEach(r -> out.println("  " + o.sinkId()
                    + " refused record " + Errors.oneLine(r.recordId()) + " (" + o.sourceName() + "/" + o.accountId()
                    + "): " + Errors.oneLine(r.reason())));
            int more = o.delivery().refused().size() - REFUSALS_SHOWN;
            if (more > 0) {
                out.println("  " + o.sinkId() + ": ... and " + more + " more refused");
            }
        }
        if (!report.failedSinks().isEmpty()) {
            out.println("  the data is stored; a failed delivery is retried from where it stopped at the next sync, "
                    + "a refused record once it changes at its source");
        }
        out.flush();
    }

    static void printSummary(PrintWriter out, SyncReport report) {
        List<List<Object>> rows = new ArrayList<>();
        for (JobResult r : report.results()) {
            rows.add(List.of(r.sourceId(), r.counts().imported(), r.counts().updated(), r.counts().skipped(),
                    r.counts().rejected(), String.format(Locale.ROOT, "%.1fs", r.duration().toMillis() / 1000.0),
                    r.status().name().toLowerCase(Locale.ROOT), r.error().map(Errors::oneLine).orElse("")));
        }
        out.println();
        OutputFormat.TABLE.print(out, List.of("source", "imported", "updated", "skipped", "rejected", "duration",
                "status", "error"), rows);
    }
}
