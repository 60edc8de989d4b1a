package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.imports.store.SinkCursor;
import io.foliosync.sinks.ghostfolio.GhostfolioSinkProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The sinks of the {@code sinks:} section: their tokens and what each received ({@code docs/sinks.md}). */
@Command(name = "sinks", mixinStandardHelpOptions = true,
        description = "Shows what each sink received, or stores a sink's token encrypted.",
        subcommands = {SinksCommand.Status.class, SinksCommand.Token.class, SinksCommand.Reset.class})
final class SinksCommand extends GroupCommand {

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "One line per sink and account: its last delivery, and the last error when it failed.")
    static final class Status implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options, false, System.getenv())) {
                PrintWriter out = spec.commandLine().getOut();
                List<List<Object>> rows = new ArrayList<>();
                for (SinkCursor c : ws.jdbcStore().sinkCursors()) {
                    rows.add(List.of(c.sinkId(), c.sourceName() + "/" + c.accountId(),
                            c.deliveredAt().map(Object::toString).orElse("never"), c.attemptedAt().toString(),
                            c.lastError().map(Errors::oneLine).orElse("")));
                }
                if (rows.isEmpty()) {
                    out.println("no sink has received anything yet: configure one under sinks: and run a sync");
                } else {
                    OutputFormat.TABLE.print(out, List.of("sink", "account", "last delivery", "last attempt",
                            "last error"), rows);
                }
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "Forgets what a sink received, so the next sync hands it every record again: after fixing "
                    + "what made it refuse records (a missing CoinGecko id). A sink that keeps what it sent "
                    + "(Ghostfolio) sends only what it lacks.")
    static final class Reset implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "ID", description = "The sink's key under sinks:.")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options, false, System.getenv())) {
                int n = ws.jdbcStore().resetSink(id);
                PrintWriter out = spec.commandLine().getOut();
                out.println("sink " + id + ": forgot the cursors of " + n + " account(s); the next sync hands it "
                        + "every record again");
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Stores a sink's security token encrypted in the database (read from the terminal without "
                    + "echo, or the first line of standard input); the entry then needs no token key.")
    static final class Token implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "ID", description = "The sink's key under sinks:.")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String token = read();
            if (token.isBlank()) {
                throw new ConfigurationException(id, "no token given: paste it at the prompt, or pipe it in");
            }
            try (Workspace ws = Workspace.open(options, true, System.getenv())) {
                var credentials = io.foliosync.imports.internal.FolioSyncInternals.credentials(ws.folio());
                credentials.save(GhostfolioSinkProvider.tokenOwner(id), Map.of("token", token));
                // a session made with the old token is no proof of the new one
                credentials.delete(GhostfolioSinkProvider.tokenOwner(id) + "/session");
                PrintWriter out = spec.commandLine().getOut();
                out.println("stored the token of sink " + id + " (encrypted); the next sync logs in with it");
                out.flush();
                return 0;
            }
        }

        private static String read() throws Exception {
            if (System.console() != null) {
                char[] typed = System.console().readPassword("token: ");
                return typed == null ? "" : new String(typed).trim();
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            return line == null ? "" : line.trim();
        }
    }
}
