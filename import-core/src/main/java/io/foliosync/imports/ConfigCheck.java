package io.foliosync.imports;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.imports.config.DataSourcesConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What {@link FolioSync.Builder#check()} found, having changed nothing on disk.
 *
 * @param config          the configuration, when it could be read
 * @param sources         every source a sync would run (market data included), in configuration order
 * @param problems        everything that stops a sync, each naming its key; empty when the configuration is valid
 * @param masterKeyExists whether the master key exists already (a sync creates it otherwise)
 * @param sinks           the ids of the sinks a sync delivers to, in configuration order
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ConfigCheck(Optional<DataSourcesConfig> config, List<CheckedSource> sources, List<String> problems,
                          boolean masterKeyExists, List<String> sinks) {
    public ConfigCheck {
        Objects.requireNonNull(config, "config");
        sources = List.copyOf(sources);
        problems = List.copyOf(problems);
        sinks = List.copyOf(sinks);
    }

    /** A check without sinks. */
    public ConfigCheck(Optional<DataSourcesConfig> config, List<CheckedSource> sources, List<String> problems,
                       boolean masterKeyExists) {
        this(config, sources, problems, masterKeyExists, List.of());
    }

    /** @return whether a sync can start with this configuration */
    public boolean valid() {
        return problems.isEmpty();
    }

    /**
     * One source the configuration enables.
     *
     * @param section  the section that configured it
     * @param sourceId its id ({@code sync --source ID})
     * @param type     what kind of source it is
     */
    public record CheckedSource(String section, String sourceId, ConnectorType type) {
    }
}
