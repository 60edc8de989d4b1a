package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ConnectorException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A plugin could not be loaded, installed or configured. The message names the plugin and says why; for a
 * refused jar, {@link #problems()} lists every validation problem.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class PluginException extends ConnectorException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public PluginException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
        this.problems = List.of(message);
    }

    PluginException(String pluginId, List<String> problems) {
        super(pluginId, problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return each problem found */
    public List<String> problems() {
        return problems;
    }
}
