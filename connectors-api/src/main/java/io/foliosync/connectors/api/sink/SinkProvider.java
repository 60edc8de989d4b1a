package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import org.apiguardian.api.API;

/**
 * Creates sinks of one kind from their entries under {@code sinks:} in {@code data_sources.yaml}. A module
 * registers one in {@code META-INF/services/io.foliosync.connectors.api.sink.SinkProvider}, so import-core builds
 * every configured sink without depending on the module.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface SinkProvider {

    /** @return the kind of sink this provider builds: the {@code type} of an entry (or its key when it has none) */
    String type();

    /**
     * @param id      the entry's key under {@code sinks:}, the sink's {@link Sink#id()}
     * @param section the entry, interpolated ({@code url}, {@code token}, {@code accounts}, …)
     * @param context clock, data directory, cipher, rate limiters and the encrypted credential store, where a
     *                token kept encrypted is read from
     * @return the sink
     * @throws io.foliosync.connectors.api.ConfigurationException naming every missing or invalid key
     */
    Sink create(String id, ConfigSection section, ConnectorContext context);
}
