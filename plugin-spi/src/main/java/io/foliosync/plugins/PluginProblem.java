package io.foliosync.plugins;

import java.util.Objects;
import java.util.Optional;

/**
 * One plugin that could not be discovered or loaded, and why.
 *
 * @param location the jar or class-path entry at fault
 * @param pluginId the plugin's id, when its manifest could be read that far
 * @param message  what is wrong and what to do about it
 */
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
