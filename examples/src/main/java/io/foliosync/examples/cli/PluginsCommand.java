package io.foliosync.examples.cli;

import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.plugins.DiscoveryReport;
import io.foliosync.plugins.PluginDescriptor;
import io.foliosync.plugins.PluginException;
import io.foliosync.plugins.PluginManager;
import io.foliosync.plugins.PluginProblem;
import io.foliosync.plugins.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists, validates, installs and configures bank plugins. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "Manages bank plugins.",
        subcommands = {PluginsCommand.ListPlugins.class, PluginsCommand.Validate.class, PluginsCommand.Install.class,
                PluginsCommand.Configure.class})
final class PluginsCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the plugins on the class path and in the plugin directory, and any that are broken.")
    static final class ListPlugins implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Mixin
        FormatOptions output;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Workspace ws = Workspace.open(options, false, System.getenv())) {
                DiscoveryReport report = ws.plugins().discoverPlugins();
                List<List<Object>> rows = new ArrayList<>();
                for (PluginDescriptor p : report.plugins()) {
                    rows.add(Arrays.asList(p.id(), p.name(), p.version(), String.join(" ", p.countries()),
                            p.authType().name(), p.origin().name().toLowerCase(java.util.Locale.ROOT),
                            ws.enabledPlugins().contains(p.id()) ? "yes" : "no", p.location().toString()));
                }
                output.format.print(out, List.of("id", "name", "version", "countries", "auth", "origin", "enabled",
                        "location"), rows, output.raw);
                for (PluginProblem problem : report.problems()) {
                    spec.commandLine().getErr().println("broken plugin: " + problem);
                }
                spec.commandLine().getErr().flush();
                return 0;
            }
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Checks a plugin jar: manifest, provider entry, class, constructor, SDK range, allow-list.")
    static final class Validate implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(paramLabel = "JAR", description = "The plugin jar.")
        Path jar;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Workspace ws = Workspace.open(options, false, System.getenv())) {
                ValidationReport report = ws.plugins().validatePlugin(jar);
                if (report.valid()) {
                    PluginDescriptor p = report.plugin().orElseThrow();
                    out.println(jar + ": valid plugin " + p.id() + " " + p.version() + " (sha256 "
                            + report.sha256().orElse("?") + ")");
                    out.flush();
                    return 0;
                }
                return Errors.problems(spec.commandLine().getErr(), jar + ": not a valid plugin:", report.problems(),
                        Errors.FAILED);
            }
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Validates a plugin jar and copies it into the plugin directory.")
    static final class Install implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(paramLabel = "JAR", description = "The plugin jar.")
        Path jar;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options, false, System.getenv())) {
                PluginManager plugins = ws.plugins();
                try {
                    PluginDescriptor p = plugins.installPlugin(jar);
                    spec.commandLine().getOut().println("installed " + p.id() + " " + p.version() + " at " + p.location()
                            + "; enable it under plugins.enabled in the configuration");
                    spec.commandLine().getOut().flush();
                    return 0;
                } catch (PluginException e) {
                    return Errors.problems(spec.commandLine().getErr(), "foliosync: cannot install " + jar + ":",
                            e.problems(), Errors.FAILED);
                }
            }
        }
    }

    @Command(name = "configure", mixinStandardHelpOptions = true,
            description = "Stores a plugin's credentials and settings, encrypted, and checks them.")
    static final class Configure implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Parameters(index = "0", paramLabel = "ID", description = "The plugin id.")
        String id;
        @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "An auth field's value (repeatable).")
        Map<String, String> values = new LinkedHashMap<>();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Workspace ws = Workspace.open(options, false, System.getenv())) {
                ws.plugins().saveCredentials(id, values);
                AuthenticationResult auth = ws.plugins().authenticate(id);
                PrintWriter out = spec.commandLine().getOut();
                out.println("stored " + values.size() + " field(s) for " + id + " (encrypted); authentication: "
                        + (auth.success() ? "ok" : "failed") + " - " + auth.message());
                out.flush();
                return auth.success() ? 0 : Errors.FAILED;
            }
        }
    }
}
