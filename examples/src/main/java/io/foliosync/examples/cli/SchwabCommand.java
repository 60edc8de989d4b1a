package io.foliosync.examples.cli;

import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.connectors.schwab.SchwabConnector;
import io.foliosync.connectors.schwab.SchwabConnectorProvider;
import io.foliosync.connectors.schwab.SchwabTokenListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Schwab's browser authorization. */
@Command(name = "schwab", mixinStandardHelpOptions = true, description = "Charles Schwab commands.",
        subcommands = SchwabCommand.Login.class)
final class SchwabCommand extends GroupCommand {

    @Command(name = "login", mixinStandardHelpOptions = true,
            description = "Authorizes FolioSync at Schwab in a browser (renew at least every 7 days).")
    static final class Login implements Callable<Integer> {
        @Mixin
        CommonOptions options;

        @Option(names = "--timeout", defaultValue = "PT5M", description = "How long to wait for the browser (default: 5 minutes).")
        Duration timeout;

        @Option(names = "--paste", description = "Paste the URL the browser lands on instead of listening on the "
                + "callback (for https callbacks).")
        boolean paste;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Workspace ws = Workspace.open(options, true, System.getenv())) {
                SchwabConnector schwab = SchwabConnectorProvider.connector(
                        ws.config().section(SchwabConnectorProvider.SECTION),
                        FolioSyncInternals.connectorContext(ws.folio()),
                        SchwabTokenListener.NONE);
                try (schwab) {
                    if (paste) {
                        out.println("Open this URL, sign in, and paste the address the browser lands on:");
                        out.println("  " + schwab.authorizationUrl());
                        out.print("> ");
                        out.flush();
                        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                        schwab.completeAuthorization(line == null ? "" : line.trim());
                    } else {
                        schwab.authorizeInteractively(url -> {
                            out.println("Open this URL in a browser and sign in to Schwab:");
                            out.println("  " + url);
                            out.println("Waiting for the callback...");
                            out.flush();
                        }, timeout);
                    }
                    out.println("Authorized. Schwab asks for a new authorization by "
                            + schwab.authorizationExpiresAt().map(Object::toString).orElse("in 7 days")
                            + ": run 'foliosync schwab login' again before then.");
                    out.flush();
                }
                return 0;
            }
        }
    }
}
