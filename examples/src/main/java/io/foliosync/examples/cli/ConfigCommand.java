package io.foliosync.examples.cli;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.http.Redaction;
import io.foliosync.imports.ConfigCheck;
import io.foliosync.imports.config.DataSourcesConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
            try (Workspace ws = Workspace.open(options, true, System.getenv())) {
                // the same builder a sync uses, in the mode that writes nothing
                ConfigCheck check = ws.check();
                if (!check.valid()) {
                    return Errors.problems(out, options.config + ": " + check.problems().size() + " problem(s):",
                            check.problems(), Errors.CONFIGURATION);
                }
                DataSourcesConfig config = check.config().orElseThrow();
                config.warnings().forEach(w -> out.println("warning: " + w));
                out.println(options.config + ": OK");
                out.println("  master key: " + (check.masterKeyExists() ? "present" : "not created yet, sync creates it"));
                for (SourceReport r : sources(config)) {
                    out.println("  " + r.line());
                }
                boolean anySynced = false;
                for (ConfigCheck.CheckedSource s : check.sources()) {
                    // market data prices holdings for `value`: a sync imports nothing from it
                    if (s.type() == ConnectorType.MARKET_DATA) {
                        out.println("  valuation: " + s.sourceId() + " (" + s.section() + ", prices and FX for "
                                + "`foliosync value`; not synced)");
                        continue;
                    }
                    anySynced = true;
                    out.println("  will sync: " + s.sourceId() + " (" + s.section() + ", "
                            + s.type().name().toLowerCase(java.util.Locale.ROOT) + ")");
                }
                check.sinks().forEach(id -> out.println("  will deliver to: " + id + " (sinks." + id + ")"));
                if (!anySynced) {
                    out.println("  no source is enabled: set enabled: true on the sources you use");
                }
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
            boolean sectionOn = enabled(section, true);
            // entries are the section's maps of maps: accounts directly under it, or under one key (the
            // original system's crypto_exchanges.exchanges)
            Optional<ConfigSection> holder = entryHolder(section);
            if (holder.isEmpty()) {
                out.add(report(name, section, sectionOn));
                continue;
            }
            ConfigSection entries = holder.get();
            boolean settings = section.keys().stream().anyMatch(k -> !(section.asMap().get(k) instanceof Map));
            if (settings && entries != section) {
                Map<String, Object> own = new java.util.LinkedHashMap<>(section.asMap());
                own.remove(entries.path().substring(name.length() + 1));
                out.add(report(name, new ConfigSection(name, own), sectionOn));
            }
            entries.keys().forEach(k -> out.add(report(entries.keyPath(k), entries.section(k), sectionOn)));
        }
        return out;
    }

    private static Optional<ConfigSection> entryHolder(ConfigSection section) {
        if (!section.keys().isEmpty() && section.keys().stream().allMatch(k -> section.asMap().get(k) instanceof Map
                && !k.equals("csv_fallback") && !k.equals("flex") && !k.equals("tls"))) {
            return Optional.of(section);
        }
        return section.keys().stream().filter(k -> section.asMap().get(k) instanceof Map<?, ?> m && !m.isEmpty()
                        && m.values().stream().allMatch(v -> v instanceof Map))
                .findFirst().map(section::section);
    }

    private static boolean enabled(ConfigSection section, boolean otherwise) {
        if (section.asMap().get("enabled") instanceof java.util.Collection<?> ids) {
            return !ids.isEmpty(); // plugins.enabled: the ids to load
        }
        try {
            return section.bool("enabled", otherwise);
        } catch (ConfigurationException e) {
            return false; // the check names the bad value
        }
    }

    private static SourceReport report(String path, ConfigSection section, boolean sectionOn) {
        boolean enabled = sectionOn && enabled(section, true);
        List<String> set = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        secrets("", section, set, missing);
        return new SourceReport(path, enabled, set, missing);
    }

    /** Names the log redaction masks (it errs on the side of masking) that hold a setting, not a secret. */
    private static final Set<String> SETTINGS = Set.of("auth_type");

    private static void secrets(String prefix, ConfigSection section, List<String> set, List<String> missing) {
        for (String key : section.keys()) {
            Object value = section.asMap().get(key);
            if (value instanceof Map) {
                secrets(prefix + key + ".", section.section(key), set, missing);
            } else if (Redaction.isSensitive(key) && !SETTINGS.contains(key)) {
                (section.string(key).isPresent() ? set : missing).add(prefix + key);
            }
        }
    }
}
