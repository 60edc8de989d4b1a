package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What {@link PluginManager#discoverPlugins()} found: every usable plugin, and every one that was refused or
 * broken. A broken plugin never hides the others.
 *
 * @param plugins  usable plugins, class-path ones first, then plugin-directory jars by file name
 * @param problems one entry per refused or broken plugin
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record DiscoveryReport(List<PluginDescriptor> plugins, List<PluginProblem> problems) {
    public DiscoveryReport {
        plugins = List.copyOf(plugins);
        problems = List.copyOf(problems);
    }

    /** @return the plugin with this id, when one was discovered */
    public Optional<PluginDescriptor> plugin(String id) {
        return plugins.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
