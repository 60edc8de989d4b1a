package io.foliosync.examples.cli;

import io.foliosync.imports.JobResult;
import io.foliosync.imports.SyncReport;
import io.foliosync.imports.query.PortfolioQuery;
import io.foliosync.imports.query.QuarantineEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists the records a validation rule rejected that are still in quarantine. */
@Command(name = "rejected", mixinStandardHelpOptions = true,
        description = "Lists the records a validation rule rejected and that are still in quarantine: source, "
                + "account, rule, field, value, where the record came from, the job, when. Every sync reads them "
                + "again; once the rule (or FolioSync) is fixed, a sync imports them and they leave this list.")
final class RejectedCommand implements Callable<Integer> {
    /** How many reasons the summary of a sync names per source. */
    static final int FIRST_REASONS = 3;

    @Mixin
    CommonOptions options;

    @Option(names = "--source", paramLabel = "ID", description = "Only this account (ibkr-flex, kraken), or every "
            + "account of a provider (ibkr, crypto_exchanges).")
    String source;

    @Mixin
    FormatOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            List<QuarantineEntry> open = ws.query().openQuarantine(Optional.ofNullable(source));
            List<List<Object>> rows = new ArrayList<>();
            for (QuarantineEntry q : open) {
                rows.add(Arrays.asList(q.sourceId().orElse(q.sourceName()), q.accountId(), q.rule(),
                        q.field().orElse(""), q.value().orElse(""), q.location().orElse("record " + q.recordId()),
                        q.recordDate().map(Object::toString).orElse(""), q.lastJobId(), q.createdAt().toString(),
                        Errors.oneLine(q.reason())));
            }
            output.format.print(out, List.of("source", "account", "rule", "field", "value", "record", "record_time", "job",
                    "rejected_at", "reason"), rows, output.raw);
            if (output.format == OutputFormat.TABLE) {
                out.println(open.isEmpty() ? "no rejected records" : open.size() + " rejected record(s): each sync "
                        + "reads them again and imports them once the rule (or FolioSync) is fixed");
            }
            out.flush();
            return 0;
        }
    }

    /**
     * After a sync: per source that rejected records, how many and by which rules, then its first reasons (rule,
     * field, value, record), and what to do.
     */
    static void printSyncRejections(PrintWriter out, PortfolioQuery store, SyncReport report) {
        List<JobResult> rejecting = report.withRejections();
        if (rejecting.isEmpty()) {
            return;
        }
        out.println();
        for (JobResult r : rejecting) {
            List<QuarantineEntry> entries = r.jobId().isPresent() ? store.rejectedBy(r.jobId().getAsLong())
                    : List.of();
            Map<String, Long> byRule = new TreeMap<>();
            entries.forEach(q -> byRule.merge(q.rule(), 1L, Long::sum));
            List<String> rules = byRule.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
            out.println("rejected: " + r.sourceId() + ": " + r.rejected() + " record" + (r.rejected() == 1 ? "" : "s")
                    + " not imported" + (rules.isEmpty() ? "" : " (" + String.join(", ", rules) + ")"));
            entries.stream().limit(FIRST_REASONS).forEach(q -> out.println("  - " + reason(q)));
            if (entries.size() > FIRST_REASONS) {
                out.println("  - … and " + (entries.size() - FIRST_REASONS) + " more");
            }
        }
        out.println("  see `foliosync rejected`; each sync reads them again and imports them once the rule (or "
                + "FolioSync) is fixed");
        out.flush();
    }

    /** @return {@code rule field=value, record ID (account A): reason} */
    static String reason(QuarantineEntry q) {
        String field = q.field().map(f -> " " + f + "=" + q.value().orElse("(none)")).orElse("");
        return q.rule() + field + ", " + q.location().orElse("record " + q.recordId()) + " (account " + q.accountId()
                + "): " + Errors.oneLine(q.reason());
    }
}
