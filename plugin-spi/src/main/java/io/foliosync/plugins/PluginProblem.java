package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One plugin that could not be discovered or loaded, and why.
 *
 * @param location the jar or class-path entry at fault
 * @param pluginId the plugin's id, when its manifest could be read that far
 * @param message  what is wrong and what to do about it
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PluginProblem(String location, Optional<String> pluginId, String message) {
    public PluginProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return location + pluginId.map(id -> " (" + id + ")").orElse("") + ": " + message;
    }
}
