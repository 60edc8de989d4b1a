package io.foliosync.examples.cli;

import io.foliosync.connectors.api.http.RateLimit;
import io.foliosync.connectors.crypto.GenericExchange;
import io.foliosync.connectors.crypto.SupportedExchange;
import io.foliosync.connectors.crypto.pacing.ExchangePacing;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Lists the crypto exchanges this build reads: first-class ones (FolioSync's own client, complete history, paced at
 * each exchange's documented limits) and generic ones (an XChange module on the class path, read through XChange's
 * common services), with what each reads and how it is paced. Reads no configuration and calls no exchange.
 */
@Command(name = "exchanges", mixinStandardHelpOptions = true,
        description = "Lists the crypto exchanges this build reads (first-class or generic) and what each reads.")
final class ExchangesCommand implements Callable<Integer> {
    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<List<Object>> rows = new ArrayList<>();
        for (SupportedExchange e : SupportedExchange.values()) {
            if (e.firstClass()) {
                rows.add(Arrays.asList(e.id(), "first-class", e.reads(), "", "documented limits",
                        e.xchangeModule().orElse("own calls")));
            }
        }
        for (GenericExchange g : GenericExchange.available()) {
            Optional<GenericExchange.Reads> r = g.reads();
            List<String> reads = new ArrayList<>();
            List<String> not = new ArrayList<>();
            (r.map(GenericExchange.Reads::balances).orElse(false) ? reads : not).add("balances");
            (r.map(GenericExchange.Reads::trades).orElse(false) ? reads : not).add("trades");
            (r.map(GenericExchange.Reads::funding).orElse(false) ? reads : not).add("deposits and withdrawals");
            if (r.map(GenericExchange.Reads::ownReader).orElse(false)) {
                reads.add("rewards and other moves (own user_transactions reader)");
            }
            String pacing = r.flatMap(GenericExchange.Reads::declared)
                    .map(l -> g.name() + " declares " + describe(l))
                    .orElse("default " + describe(ExchangePacing.GENERIC_DEFAULT));
            rows.add(Arrays.asList(g.id(), "generic", String.join(", ", reads), String.join(", ", not), pacing,
                    g.module()));
        }
        format.print(out, List.of("id", "kind", "reads", "not read", "pacing", "module"), rows, false);
        out.println();
        out.println("Any other exchange of XChange " + GenericExchange.XCHANGE_VERSION + ": add its module to the class "
                + "path (an SDK dependency) and configure it by id, or by exchange_class. docs/exchanges.md has the detail.");
        out.flush();
        return 0;
    }

    static String describe(RateLimit l) {
        Duration p = l.period();
        String period = p.toMinutes() >= 1 && p.toSecondsPart() == 0 ? p.toMinutes() + " min" : p.toMillis() % 1000 == 0
                ? p.toSeconds() + " s" : p.toMillis() + " ms";
        return l.permits() + " calls per " + period;
    }
}
