package io.foliosync.imports.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.http.Redaction;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.api.sink.Sink;
import io.foliosync.connectors.api.sink.SinkProvider;
import io.foliosync.imports.reconcile.TransferLinker;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code config/data_sources.yaml}: {@code global} settings, {@code plugins}, and one top-level section per
 * connector module, named by that module's {@link ConnectorProvider#configSection()}.
 *
 * <p>Values may reference the environment as {@code ${VAR}} or {@code ${VAR:-default}}; variables come from
 * the process environment and, when present, a {@code .env} file (the environment wins). A secret key of an
 * enabled source whose variable is unset fails loading with a {@link ConfigurationException} naming every such
 * key path. Unknown keys draw a warning. {@code toString()} masks every secret.
 *
 * <p>Connectors are created by the {@link ConnectorProvider} each connector module registers for its section
 * ({@link #createConnectors(ConnectorContext)}), so import-core never depends on a connector module.
 */
@API(status = INTERNAL, since = "0.1")
public final class DataSourcesConfig {
    private static final Logger LOG = LoggerFactory.getLogger(DataSourcesConfig.class);
    /** The section of the sinks ({@code docs/sinks.md}): one entry per sink, keyed by the sink's id. */
    public static final String SINKS = "sinks";
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Path file;
    private final Map<String, Object> root;
    private final Map<String, List<String>> unresolved;
    private final GlobalSettings global;
    private final List<String> warnings;

    private DataSourcesConfig(Path file, Map<String, Object> root, Map<String, List<String>> unresolved,
                              GlobalSettings global, List<String> warnings) {
        this.file = file;
        this.root = root;
        this.unresolved = Map.copyOf(unresolved);
        this.global = global;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Loads {@code yamlFile} with the process environment and the {@code .env} file beside it (or in the working
     * directory), when one exists.
     */
    public static DataSourcesConfig load(Path yamlFile) {
        return load(yamlFile, System.getenv(), DotEnv.beside(yamlFile));
    }

    /**
     * @param environment the variables {@code ${VAR}} reads first
     * @param dotEnv      a {@code KEY=value} file read for variables the environment lacks
     * @throws ConfigurationException naming every problem found (unreadable file, bad YAML, missing secrets,
     *                                invalid global values)
     */
    public static DataSourcesConfig load(Path yamlFile, Map<String, String> environment, Optional<Path> dotEnv) {
        Map<String, String> vars = new HashMap<>();
        dotEnv.ifPresent(p -> vars.putAll(DotEnv.read(p)));
        vars.putAll(environment);
        Object parsed;
        try (Reader r = Files.newBufferedReader(yamlFile, StandardCharsets.UTF_8)) {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new ConfigurationException(yamlFile.toString(), "cannot read the file: " + e.getMessage());
        } catch (YAMLException e) {
            throw new ConfigurationException(yamlFile.toString(), "not valid YAML: " + e.getMessage());
        }
        if (parsed == null) {
            parsed = Map.of();
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new ConfigurationException(yamlFile.toString(), "the top level must be a mapping of sections");
        }
        Map<String, List<String>> unresolved = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) interpolate("", parsed, vars, unresolved);
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        // An unset ${VAR} is no error here: it is one only where a provider reads that key as required (an
        // enabled source, in the mode that uses it), and the section then names the variable.
        Set<String> read = new HashSet<>();
        discoverProviders().forEach(p -> read.add(p.configSection()));
        for (String key : root.keySet()) {
            // A switched-off section of a module that is not installed is the shipped file's normal state.
            if (!key.equals("global") && !key.equals("plugins") && !key.equals(SINKS) && !read.contains(key)
                    && !switchedOff(section(root, key))) {
                warnings.add(key + ": unknown section (no connector module on the class path reads it)");
            }
        }
        ConfigSection globalSection = section(root, "global");
        for (String key : globalSection.keys()) {
            if (GlobalSettings.RETIRED_KEYS.contains(key)) {
                warnings.add(globalSection.keyPath(key) + ": ignored, FolioSync no longer retries a whole import "
                        + "job: each HTTP call is retried where a retry can help, and the next scheduled sync is a "
                        + "failed job's retry (docs/errors.md); remove the key");
            } else if (!GlobalSettings.KEYS.contains(key)) {
                warnings.add(globalSection.keyPath(key) + ": unknown key, ignored");
            }
        }
        GlobalSettings global = readGlobal(globalSection, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(yamlFile.toString(), problems);
        }
        warnings.forEach(w -> LOG.warn("{}: {}", yamlFile, w));
        return new DataSourcesConfig(yamlFile, root, unresolved, global, warnings);
    }

    /**
     * @return a configuration with every default and no section: for a program that adds its own connectors
     *         ({@code FolioSync.builder()} without a file)
     */
    public static DataSourcesConfig empty() {
        return new DataSourcesConfig(Path.of("(no configuration file)"), Map.of(), Map.of(),
                GlobalSettings.defaults(), List.of());
    }

    public Path file() {
        return file;
    }

    public GlobalSettings global() {
        return global;
    }

    /** @return the warnings loading produced (unknown keys and sections) */
    public List<String> warnings() {
        return warnings;
    }

    /** @return a top-level section, interpolated; empty when absent */
    public ConfigSection section(String name) {
        Object v = root.get(name);
        @SuppressWarnings("unchecked")
        Map<String, ?> values = v instanceof Map<?, ?> m ? (Map<String, ?>) m : Map.of();
        return new ConfigSection(name, values, unresolved);
    }

    /** @return the {@code plugins} section, which plugin-spi reads */
    public ConfigSection plugins() {
        return section("plugins");
    }

    /**
     * @return the top-level section names present besides {@code global}, in file order: each is read by the
     *         {@link ConnectorProvider} whose {@code configSection()} it is ({@code plugins} by plugin-spi's)
     */
    public List<String> sourceSections() {
        return root.keySet().stream().filter(k -> !k.equals("global") && !k.equals(SINKS)).toList();
    }

    /**
     * @param section   the section that configured the source
     * @param sourceId  the source
     * @param providers the providers the sources were built with: the one reading {@code section} says where its
     *                  layout keeps a source's {@code sync_frequency} ({@link ConnectorProvider#syncFrequency})
     * @return the source's own frequency, else its section's, else the global one
     * @throws ConfigurationException when the value is not a frequency
     */
    public SyncFrequency syncFrequency(String section, String sourceId, Collection<ConnectorProvider> providers) {
        ConfigSection s = section(section);
        Optional<String> text = providers.stream().filter(p -> p.configSection().equals(section)).findFirst()
                .map(p -> p.syncFrequency(s, sourceId))
                .orElseGet(() -> s.section(sourceId).string("sync_frequency").or(() -> s.string("sync_frequency")));
        return text.map(t -> SyncFrequency.parse(t, section + "." + sourceId + ".sync_frequency"))
                .orElse(global.syncFrequency());
    }

    /**
     * Builds every enabled connector through the {@link ConnectorProvider}s found with {@link ServiceLoader}.
     *
     * @throws ConfigurationException naming every problem of every section
     */
    public List<Connector> createConnectors(ConnectorContext context) {
        return createConnectors(context, discoverProviders());
    }

    /**
     * Builds every enabled connector through {@code providers} (tests register fakes here).
     *
     * @throws ConfigurationException naming every problem of every section
     */
    public List<Connector> createConnectors(ConnectorContext context, Collection<ConnectorProvider> providers) {
        return createSources(context, providers).stream().map(ConfiguredConnector::connector).toList();
    }

    /** @return every enabled source, one connector per account, each with the section that configured it */
    public List<ConfiguredConnector> createSources(ConnectorContext context) {
        return createSources(context, discoverProviders());
    }

    /**
     * Builds every enabled source through {@code providers}: one connector per account, Flex query or CSV folder
     * (see {@link Connector#sourceId()}), each with the section that configured it.
     *
     * @throws ConfigurationException naming every problem of every section, including a source id used twice
     */
    public List<ConfiguredConnector> createSources(ConnectorContext context,
                                                   Collection<ConnectorProvider> providers) {
        Map<String, ConnectorProvider> bySection = new LinkedHashMap<>();
        for (ConnectorProvider p : providers) {
            ConnectorProvider previous = bySection.putIfAbsent(p.configSection(), p);
            if (previous != null) {
                throw new ConfigurationException(file.toString(), "two connector providers read section '"
                        + p.configSection() + "': " + previous.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        List<ConfiguredConnector> connectors = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (String name : sourceSections()) {
            ConnectorProvider provider = bySection.get(name);
            if (provider == null) {
                if (anyEnabled(section(name))) {
                    LOG.warn("{}: section {} enables sources but no connector module on the class path reads it",
                            file, name);
                }
                continue;
            }
            try {
                for (Connector c : provider.create(section(name), context)) {
                    if (!ids.add(c.sourceId())) {
                        problems.add(name + ": source id '" + c.sourceId() + "' is used twice (each account "
                                + "needs its own name)");
                        c.close();
                    } else {
                        connectors.add(new ConfiguredConnector(name, c));
                    }
                }
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            connectors.forEach(c -> c.connector().close());
            throw new ConfigurationException(file.toString(), problems);
        }
        return connectors;
    }

    /**
     * Builds every enabled sink of the {@code sinks:} section: each entry's key is the sink's id, its {@code type}
     * (default: the key) names the {@link SinkProvider}, {@code enabled} (default true) switches it.
     *
     * @throws ConfigurationException naming every problem of every entry
     */
    public List<Sink> createSinks(ConnectorContext context, Collection<SinkProvider> providers) {
        ConfigSection sinks = section(SINKS);
        List<String> problems = new ArrayList<>();
        List<Sink> out = new ArrayList<>();
        for (String id : sinks.keys()) {
            ConfigSection entry = sinks.section(id);
            if (!(sinks.asMap().get(id) instanceof Map<?, ?>)) {
                problems.add(sinks.keyPath(id) + ": expected an entry with type, url, token, accounts, enabled");
                continue;
            }
            if (!entry.bool("enabled", true)) {
                continue;
            }
            String type = entry.string("type", id);
            Optional<SinkProvider> provider = providers.stream().filter(p -> p.type().equals(type)).findFirst();
            if (provider.isEmpty()) {
                problems.add(entry.keyPath("type") + ": no sink module of type '" + type + "' on the class path"
                        + " (found: " + String.join(", ", providers.stream().map(SinkProvider::type).sorted()
                        .toList()) + ")");
                continue;
            }
            try {
                out.add(provider.get().create(id, entry, context));
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            out.forEach(DataSourcesConfig::closeQuietly);
            throw new ConfigurationException(file.toString(), problems);
        }
        return out;
    }

    private static void closeQuietly(Sink sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.warn("closing sink {} failed: {}", sink.id(), e.toString());
        }
    }

    /** @return the sink providers on the class path; a broken one is logged and skipped */
    public static List<SinkProvider> discoverSinkProviders() {
        List<SinkProvider> out = new ArrayList<>();
        Iterator<SinkProvider> it = ServiceLoader.load(SinkProvider.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping a sink provider that cannot be loaded: {}", e.getMessage());
            }
        }
        return out;
    }

    /**
     * A source as the configuration made it.
     *
     * @param section   the top-level section of {@code data_sources.yaml} it came from
     * @param connector the connector reading that one source
     */
    public record ConfiguredConnector(String section, Connector connector) {
        public ConfiguredConnector {
            Objects.requireNonNull(section, "section");
            Objects.requireNonNull(connector, "connector");
        }
    }

    /** @return the providers on the class path; a broken one is logged and skipped, never hiding the rest */
    public static List<ConnectorProvider> discoverProviders() {
        List<ConnectorProvider> out = new ArrayList<>();
        Iterator<ConnectorProvider> it = ServiceLoader.load(ConnectorProvider.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                ConnectorProvider p = it.next();
                LOG.debug("found connector provider {} for section {}", p.getClass().getName(), p.configSection());
                out.add(p);
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping a connector provider that cannot be loaded: {}", e.getMessage());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "DataSourcesConfig[" + file + ": " + new ConfigSection("", root) + "]";
    }

    // ---------------------------------------------------------------- reading

    private static GlobalSettings readGlobal(ConfigSection g, List<String> problems) {
        GlobalSettings d = GlobalSettings.defaults();
        ConfigSection.Requirements req = g.require();
        SyncFrequency frequency = req.attempt(() -> g.string("sync_frequency")
                .map(v -> SyncFrequency.parse(v, g.keyPath("sync_frequency"))).orElse(d.syncFrequency()))
                .orElse(d.syncFrequency());
        int concurrent = req.attempt(() -> g.integer("max_concurrent_syncs", d.maxConcurrentSyncs()))
                .orElse(d.maxConcurrentSyncs());
        req.check(concurrent >= 1, "max_concurrent_syncs", "must be at least 1 but was " + concurrent);
        DatabaseSettings database = d.database();
        try {
            Optional<String> url = g.string("database_url");
            if (url.isPresent()) {
                Optional<Secret> password = g.secret("database_password");
                database = new DatabaseSettings(url.get(), g.string("database_user"), password,
                        g.string("database_schema"), url.get().startsWith("jdbc:sqlite:") ? 4 : 10);
            } else {
                database = DatabaseSettings.sqlite(Path.of(g.string("database_path",
                        DatabaseSettings.DEFAULT_SQLITE_FILE.toString())));
            }
        } catch (IllegalArgumentException e) {
            req.check(false, "database_url", e.getMessage());
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        g.section("symbol_aliases").asMap().forEach((k, v) -> aliases.put(k, String.valueOf(v)));
        Optional<Duration> cache = req.attempt(() -> g.duration("cache_duration").orElse(null));
        cache.ifPresent(c -> req.check(!c.isNegative(), "cache_duration", "must not be negative but was " + c));
        Optional<Duration> linkWindow = req.attempt(() -> g.duration("transfer_link_window").orElse(null));
        linkWindow.ifPresent(w -> req.check(!w.isNegative() && !w.isZero()
                && w.compareTo(TransferLinker.MAX_WINDOW) <= 0, "transfer_link_window",
                "must be positive and at most " + TransferLinker.MAX_WINDOW.toDays() + " days but was " + w));
        Duration deadline = req.attempt(() -> g.duration("sync_deadline").orElse(d.syncDeadline()))
                .orElse(d.syncDeadline());
        req.check(!deadline.isNegative() && !deadline.isZero(), "sync_deadline",
                "must be positive but was " + deadline);
        GlobalSettings result = new GlobalSettings(frequency, Math.max(1, concurrent),
                database, Path.of(g.string("data_directory", "data")),
                Path.of(g.string("master_key_file", d.masterKeyFile().toString())), aliases,
                new LinkedHashSet<>(g.strings("known_currencies")), cache.filter(c -> !c.isNegative()),
                linkWindow.filter(w -> !w.isNegative() && !w.isZero() && w.compareTo(TransferLinker.MAX_WINDOW) <= 0),
                deadline.isNegative() || deadline.isZero() ? d.syncDeadline() : deadline);
        problems.addAll(req.problems());
        return result;
    }

    private static boolean anyEnabled(ConfigSection s) {
        if (s.keys().contains("enabled")) {
            return s.bool("enabled", true);
        }
        return s.asMap().keySet().stream().map(s::section).anyMatch(c -> !c.keys().isEmpty() && c.bool("enabled", true));
    }

    /**
     * @return whether the section has {@code enabled} switches (its own, else its children's) and all are off:
     *         source configuration nobody asked for, as opposed to a misspelt or foreign section
     */
    private static boolean switchedOff(ConfigSection s) {
        try {
            if (s.keys().contains("enabled")) {
                return !s.bool("enabled", true);
            }
            List<ConfigSection> switched = s.keys().stream().map(s::section)
                    .filter(c -> c.keys().contains("enabled")).toList();
            return !switched.isEmpty() && switched.stream().noneMatch(c -> c.bool("enabled", true));
        } catch (ConfigurationException e) {
            return false; // an unreadable switch is worth the warning
        }
    }

    @SuppressWarnings("unchecked")
    private static ConfigSection section(Map<String, Object> root, String name) {
        Object v = root.get(name);
        return v instanceof Map<?, ?> m ? new ConfigSection(name, (Map<String, ?>) m) : ConfigSection.empty(name);
    }

    private static Object interpolate(String path, Object value, Map<String, String> vars,
                                      Map<String, List<String>> unresolved) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                String key = String.valueOf(k);
                out.put(key, interpolate(path.isEmpty() ? key : path + "." + key, v, vars, unresolved));
            });
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(interpolate(path + "[" + i + "]", l.get(i), vars, unresolved));
            }
            return out;
        }
        if (value instanceof String s && s.contains("${")) {
            Matcher m = VAR.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = vars.get(m.group(1));
                if (v == null || v.isEmpty()) {
                    v = m.group(2);
                }
                if (v == null) {
                    unresolved.computeIfAbsent(path, k -> new ArrayList<>()).add(m.group(1));
                    v = "";
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            return sb.toString();
        }
        return value;
    }
}
