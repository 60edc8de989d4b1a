package io.foliosync.examples.cli;

import io.foliosync.imports.reconcile.LinkedTransfer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists the transfers between the user's own accounts: each once, both sides on one line. */
@Command(name = "transfers", mixinStandardHelpOptions = true,
        description = "Lists transfers between your own accounts (a withdrawal at one, the deposit at another), "
                + "each once: linked by network transaction id, or by asset and amount within a window.")
final class TransfersCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--source", paramLabel = "NAMESPACE", description = "Only transfers touching this provider "
            + "(crypto_exchanges, ibkr, a bank plugin id).")
    String source;

    @Mixin
    FormatOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Workspace ws = Workspace.open(options, false, System.getenv())) {
            print(out, ws.query().transfers(Optional.ofNullable(source)), output.format, output.raw);
            return 0;
        }
    }

    static void print(PrintWriter out, List<LinkedTransfer> transfers, OutputFormat format, boolean raw) {
        List<List<Object>> rows = new ArrayList<>();
        for (LinkedTransfer t : transfers) {
            rows.add(Arrays.asList(t.withdrawal().transaction().date().toString(),
                    t.link().symbol(), OutputFormat.number(t.sent()),
                    OutputFormat.number(t.received()),
                    t.link().outSourceName() + " " + t.link().outAccountId(),
                    t.link().inSourceName() + " " + t.link().inAccountId(),
                    t.deposit().transaction().date().toString(),
                    t.link().method().name().toLowerCase(java.util.Locale.ROOT)));
        }
        format.print(out, List.of("sent_at", "asset", "sent", "received", "from", "to", "received_at",
                "linked_by"), rows, raw);
    }
}
