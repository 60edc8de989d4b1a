package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contributes the bank plugins the {@code plugins} section enables as sources, through the same route as every
 * connector module: each enabled plugin is discovered, validated and loaded by a {@link PluginManager} and
 * handed to import-core as a {@link Connector} whose {@link Connector#sourceId()} is the plugin id. Its
 * credentials come from the context's encrypted {@code CredentialStore} at each authentication. A plugin that is
 * found but cannot be loaded becomes a {@link FailedPluginConnector}: its source fails, the others run; an id no
 * plugin offers is a configuration error.
 */
@API(status = INTERNAL, since = "0.1")
public final class BankPluginConnectorProvider implements ConnectorProvider {
    private static final Logger LOG = LoggerFactory.getLogger(BankPluginConnectorProvider.class);

    @Override
    public String configSection() {
        return PluginsSection.NAME;
    }

    @Override
    public List<Connector> create(ConfigSection section, ConnectorContext context) {
        PluginsSection settings = PluginsSection.parse(section);
        if (settings.ids().isEmpty()) {
            return List.of();
        }
        PluginManager manager = manager(settings, context);
        SharedManager shared = new SharedManager(manager, settings.ids().size());
        List<Connector> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String id : settings.ids()) {
            try {
                out.add(new BankPluginConnector(manager.loadPlugin(id), shared, context));
            } catch (PluginException e) {
                shared.release();
                Optional<PluginDescriptor> found = manager.discovered(id);
                if (found.isPresent()) {
                    // found but broken (its constructor threw or exited...): that source fails alone, reported
                    LOG.warn("plugins: {} could not be loaded and will fail its syncs: {}", id, e.getMessage());
                    out.add(new FailedPluginConnector(id, found.get().version(), e, context.clock()));
                } else {
                    // an id nothing offers is a mistake in the configuration itself
                    problems.add(section.keyPath("enabled") + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            out.forEach(Connector::close);
            throw new ConfigurationException(PluginsSection.NAME, problems);
        }
        return out;
    }

    /** @return the manager for this section: its folder, class path discovery, allow-list and credentials */
    public static PluginManager manager(PluginsSection settings, ConnectorContext context) {
        PluginManager.Builder b = PluginManager.builder().credentialStore(context.credentials())
                .classpathDiscovery(settings.classpath());
        settings.directory().ifPresent(dir -> {
            if (Files.isDirectory(dir)) {
                b.pluginDirectory(dir);
            } else {
                LOG.info("plugins: the plugin folder {} does not exist; only plugins on the class path are found",
                        dir.toAbsolutePath());
            }
        });
        if (!settings.trusted().isEmpty()) {
            b.trustedDigests(settings.trusted());
        }
        return b.build();
    }

    /** One manager shared by the section's plugins: closed when the last of them is. */
    static final class SharedManager {
        private final PluginManager manager;
        private int users;

        SharedManager(PluginManager manager, int users) {
            this.manager = manager;
            this.users = users;
        }

        PluginManager manager() {
            return manager;
        }

        synchronized void release() {
            if (--users == 0) {
                manager.close();
            }
        }
    }

}
