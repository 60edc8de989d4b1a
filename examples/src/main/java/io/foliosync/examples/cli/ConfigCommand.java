package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Checks the configuration without syncing. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration commands.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand extends GroupCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validates the configuration and names every missing secret or invalid key.")
    static final class Check implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Workspace ws = Workspace.open(options, true, System.getenv())) {
                ws.config().warnings().forEach(w -> out.println("warning: " + w));
                List<Connector> connectors;
                try {
                    connectors = ws.connectors();
                } catch (ConfigurationException e) {
                    return Errors.problems(out, options.config + ": " + e.problems().size() + " problem(s):",
                            e.problems(), Errors.CONFIGURATION);
                }
                out.println(options.config + ": OK");
                connectors.forEach(c -> out.println("  source " + c.metadata().name() + " ("
                        + c.metadata().type().name().toLowerCase(java.util.Locale.ROOT) + ") enabled"));
                ws.enabledPlugins().forEach(id -> out.println("  plugin " + id + " enabled"));
                if (connectors.isEmpty() && ws.enabledPlugins().isEmpty()) {
                    out.println("  no source is enabled: set enabled: true on the sources you use");
                }
                out.flush();
                return 0;
            }
        }
    }
}
