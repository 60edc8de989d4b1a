package io.foliosync.plugins;

import io.foliosync.connectors.api.AbstractConnector;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.Capability;
import io.foliosync.connectors.api.ConnectorMetadata;
import io.foliosync.connectors.api.ConnectorType;
import io.foliosync.connectors.api.HealthStatus;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * The source of an enabled plugin that was discovered but could not be loaded (its constructor threw, or exited,
 * its metadata disagrees with its manifest, its jar changed): it stays a source under the plugin's id so the
 * failure is reported where the user looks (its sync fails with the {@link PluginException} naming the plugin,
 * {@code status} and the health check say why) while every other source of the configuration runs. A failing
 * plugin must not make every command, {@code plugins list} included, refuse the configuration.
 */
final class FailedPluginConnector extends AbstractConnector {
    private final String id;
    private final String version;
    private final PluginException failure;

    FailedPluginConnector(String id, String version, PluginException failure, Clock clock) {
        super(clock);
        this.id = id;
        this.version = version == null || version.isBlank() ? "unknown" : version;
        this.failure = failure;
    }

    /** @return why the plugin could not be loaded */
    PluginException failure() {
        return failure;
    }

    @Override
    public ConnectorMetadata metadata() {
        return new ConnectorMetadata(id, ConnectorType.BANK, version, "bank plugin " + id + " (failed to load: "
                + failure.getMessage() + ")", Set.of(), false, false, Optional.empty(), Optional.empty());
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    /** Every sync of this source fails here, with the typed error that names the plugin, before any data call. */
    @Override
    protected AuthenticationResult doAuthenticate() {
        throw failure;
    }

    @Override
    public HealthStatus healthCheck() {
        return HealthStatus.unhealthy(failure.getMessage(), clock.instant());
    }
}
