package io.foliosync.examples.cli;

import io.foliosync.imports.query.JobRecord;
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

/** Lists the last import jobs, newest first. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows the last import jobs, newest first.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--source", paramLabel = "ID", description = "Only this source's jobs.")
    String source;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "How many jobs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    FormatOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            List<List<Object>> rows = new ArrayList<>();
            for (JobRecord j : ws.query().jobs(Optional.ofNullable(source), limit)) {
                rows.add(java.util.Arrays.asList(j.id(), j.sourceName(), j.status().name().toLowerCase(Locale.ROOT),
                        j.startedAt().toString(), j.completedAt().map(Object::toString).orElse(""),
                        j.counts().imported(), j.counts().updated(), j.counts().skipped(), j.counts().rejected(),
                        j.error().map(Errors::oneLine).orElse("")));
            }
            output.format.print(out, List.of("job", "source", "status", "started", "finished", "imported", "updated",
                    "skipped", "rejected", "error"), rows, output.raw);
            return 0;
        }
    }
}
