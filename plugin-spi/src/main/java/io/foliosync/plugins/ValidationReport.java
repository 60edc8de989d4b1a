package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The verdict of {@link PluginManager#validatePlugin(Path)} on one plugin jar.
 *
 * @param jar      the jar checked
 * @param sha256   its SHA-256 digest (lower-case hex), when it could be read
 * @param plugin   what its manifest says, when the manifest could be read
 * @param problems every problem found, each a sentence naming what is wrong; empty when the jar is valid
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ValidationReport(Path jar, Optional<String> sha256, Optional<PluginDescriptor> plugin,
                               List<String> problems) {
    public ValidationReport {
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(plugin, "plugin");
        problems = List.copyOf(problems);
    }

    /** @return whether the jar can be installed and loaded */
    public boolean valid() {
        return problems.isEmpty();
    }
}
