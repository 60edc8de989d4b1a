package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.http.Redaction;
import io.foliosync.imports.config.DataSourcesConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            description = "Validates the configuration and names every missing secret or invalid key; per source: "
                    + "enabled or not, which secrets are set (never their values). Writes nothing.")
    static final class Check implements Callable<Integer> {
        @Mixin
        CommonOptions options;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Workspace ws = Workspace.open(options, true, System.getenv()).readOnly()) {
                ws.config().warnings().forEach(w -> out.println("warning: " + w));
                out.println("  master key: " + (ws.masterKeyExists() ? "present" : "not created yet, sync creates it"));
                for (SourceReport r : sources(ws.config())) {
                    out.println("  " + r.line());
                }
                List<Connector> connectors;
                try {
                    connectors = ws.connectors();
                } catch (ConfigurationException e) {
                    return Errors.problems(out, options.config + ": " + e.problems().size() + " problem(s):",
                            e.problems(), Errors.CONFIGURATION);
                }
                ws.enabledPlugins().forEach(id -> out.println("  plugin " + id + " enabled"));
                if (connectors.isEmpty() && ws.enabledPlugins().isEmpty()) {
                    out.println("  no source is enabled: set enabled: true on the sources you use");
                }
                out.println(options.config + ": OK");
                out.flush();
                return 0;
            }
        }
    }

    /**
     * One configured source: whether it is enabled and which of its secrets have a value. Values are never
     * kept, only key names.
     */
    record SourceReport(String path, boolean enabled, List<String> set, List<String> missing) {
        String line() {
            return path + ": " + (enabled ? "enabled" : "disabled") + "; secrets set: "
                    + (set.isEmpty() ? "none" : String.join(", ", set)) + "; missing: "
                    + (missing.isEmpty() ? "none" : String.join(", ", missing));
        }
    }

    /**
     * @return every source the file configures: a top-level section, or each entry of a section that only
     *         holds entries (crypto_exchanges: one per account)
     */
    static List<SourceReport> sources(DataSourcesConfig config) {
        List<SourceReport> out = new ArrayList<>();
        for (String name : config.sourceSections()) {
            ConfigSection section = config.section(name);
            boolean onlyEntries = !section.keys().isEmpty()
                    && section.keys().stream().allMatch(k -> section.asMap().get(k) instanceof Map);
            if (onlyEntries) {
                section.keys().forEach(k -> out.add(report(name + "." + k, section.section(k))));
            } else {
                out.add(report(name, section));
            }
        }
        return out;
    }

    private static SourceReport report(String path, ConfigSection section) {
        boolean enabled;
        try {
            enabled = section.bool("enabled", true);
        } catch (ConfigurationException e) {
            enabled = false; // the connector check below names the bad value
        }
        List<String> set = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        secrets("", section, set, missing);
        return new SourceReport(path, enabled, set, missing);
    }

    private static void secrets(String prefix, ConfigSection section, List<String> set, List<String> missing) {
        for (String key : section.keys()) {
            Object value = section.asMap().get(key);
            if (value instanceof Map) {
                secrets(prefix + key + ".", section.section(key), set, missing);
            } else if (Redaction.isSensitive(key)) {
                (section.string(key).isPresent() ? set : missing).add(prefix + key);
            }
        }
    }
}
