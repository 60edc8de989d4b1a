package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.config.ConfigSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The {@code plugins} section of {@code data_sources.yaml}, in either layout:
 * <ul>
 *   <li>FolioSync's: {@code directory}, {@code enabled} (the plugin ids to load and sync), {@code classpath},
 *       {@code trusted_sha256};</li>
 *   <li>the original system's: {@code enabled} (true or false: the plugin system on or off),
 *       {@code plugin_directory}, {@code auto_load} (the plugin ids to load on startup, and so to sync).</li>
 * </ul>
 * A value of the wrong type (a map where a list of ids belongs) is an error naming the key, never reinterpreted.
 *
 * @param on          whether plugins are used at all
 * @param ids         the plugins to load and sync, in order
 * @param directory   where plugin jars are found, when set
 * @param classpath   whether plugins on the class path are discovered too
 * @param trusted     an allow-list of jar digests; empty allows any
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PluginsSection(boolean on, List<String> ids, Optional<Path> directory, boolean classpath,
                             List<String> trusted) {
    public static final String NAME = "plugins";
    static final String DEFAULT_DIRECTORY = "plugins";

    /** @throws ConfigurationException naming every key of the wrong type */
    public static PluginsSection parse(ConfigSection s) {
        List<String> problems = new ArrayList<>();
        Object enabled = s.asMap().get("enabled");
        boolean on = true;
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        if (enabled instanceof Boolean b) {
            on = b;
        } else if (enabled instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            on = Boolean.parseBoolean(text);
        } else if (enabled instanceof Collection<?> || enabled == null) {
            ids.addAll(idList(s, "enabled", problems));
        } else {
            problems.add(s.keyPath("enabled") + ": expected true/false or a list of plugin ids but was '" + enabled
                    + "'");
        }
        ids.addAll(idList(s, "auto_load", problems));

        Optional<String> a = text(s, "directory", problems);
        Optional<String> b = text(s, "plugin_directory", problems);
        if (a.isPresent() && b.isPresent() && !a.equals(b)) {
            problems.add(s.keyPath("plugin_directory") + ": set together with " + s.keyPath("directory")
                    + " to another folder; keep one");
        }
        // without a folder named, a `plugins` folder in the working directory is used when it exists
        Optional<Path> dir = a.or(() -> b).or(() -> Optional.of(DEFAULT_DIRECTORY)).map(Path::of);
        boolean classpath = true;
        try {
            classpath = s.bool("classpath", true);
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
        }
        List<String> trusted = idList(s, "trusted_sha256", problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(NAME, problems);
        }
        return new PluginsSection(on, on ? List.copyOf(ids) : List.of(), dir, classpath, trusted);
    }

    private static List<String> idList(ConfigSection s, String key, List<String> problems) {
        Object v = s.asMap().get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof Collection<?> c)) {
            problems.add(s.keyPath(key) + ": expected a list such as [chase, icbc] but was '" + v + "'");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Object item : c) {
            if (item instanceof Map || item instanceof Collection || item instanceof Boolean || item == null) {
                problems.add(s.keyPath(key) + "[" + i + "]: expected a plugin id but was '" + item + "'");
            } else if (!String.valueOf(item).isBlank()) {
                out.add(String.valueOf(item).trim());
            }
            i++;
        }
        return out;
    }

    private static Optional<String> text(ConfigSection s, String key, List<String> problems) {
        Object v = s.asMap().get(key);
        if (v instanceof Map || v instanceof Collection || v instanceof Boolean) {
            problems.add(s.keyPath(key) + ": expected a folder but was '" + v + "'");
            return Optional.empty();
        }
        return s.string(key);
    }
}
