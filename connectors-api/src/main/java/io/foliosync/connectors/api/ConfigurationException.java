package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The configuration family of {@link FolioSyncException}: the configuration (or the command line) is incomplete or
 * invalid. Names every missing or invalid key at once, so a user fixes the file in one go rather than one error per
 * run. Not a {@link ConnectorException}: no source failed, and none is tried again until the file is fixed (the
 * CLI's exit code 2).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public non-sealed class ConfigurationException extends FolioSyncException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    /**
     * @param source   the connector or config file the problems belong to; may be null
     * @param problems one entry per key, such as {@code "crypto_exchanges.kraken.api_key: missing"}
     */
    public ConfigurationException(String source, List<String> problems) {
        super(source, summarize(problems), null);
        this.problems = List.copyOf(problems);
    }

    public ConfigurationException(String source, String problem) {
        this(source, List.of(problem));
    }

    /** @return every problem found, one per key */
    public List<String> problems() {
        return problems;
    }

    private static String summarize(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigurationException needs at least one problem");
        }
        if (problems.size() == 1) {
            return "invalid configuration: " + problems.get(0);
        }
        return "invalid configuration (" + problems.size() + " problems): " + String.join("; ", problems);
    }
}
