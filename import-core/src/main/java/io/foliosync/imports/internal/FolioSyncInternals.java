package io.foliosync.imports.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.imports.FolioSync;
import io.foliosync.imports.config.DataSourcesConfig;
import io.foliosync.imports.store.DatabaseCredentialStore;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The wiring of a {@link FolioSync} for FolioSync's own tools (the CLI and the console in {@code examples}), which
 * build a plugin manager or a Schwab login on the same configuration and context. Not an API: on the module path
 * this package is exported to {@code io.foliosync.examples} alone, and any of it may change in any release.
 * Applications read through {@link FolioSync#query()}.
 */
@API(status = INTERNAL, since = "0.1")
public final class FolioSyncInternals {
    private static volatile Access access;

    private FolioSyncInternals() {
    }

    /** What {@link FolioSync} hands out through this class; implemented by FolioSync alone. */
    public interface Access {
        DataSourcesConfig config(FolioSync folioSync);

        ConnectorContext connectorContext(FolioSync folioSync);

        DatabaseCredentialStore credentials(FolioSync folioSync);
    }

    /**
     * Called once, by {@link FolioSync}'s class initialisation.
     *
     * @throws IllegalStateException for any other caller, so no one else can stand in for FolioSync
     */
    public static void install(Access a) {
        Objects.requireNonNull(a, "access");
        if (a.getClass().getNestHost() != FolioSync.class || access != null) {
            throw new IllegalStateException("FolioSyncInternals is installed by FolioSync alone, once");
        }
        access = a;
    }

    /** @return the configuration {@code folioSync} was built from */
    public static DataSourcesConfig config(FolioSync folioSync) {
        return access().config(Objects.requireNonNull(folioSync, "folioSync"));
    }

    /** @return what the connectors were built with: clock, data folder, cipher, rate limits, encrypted credentials */
    public static ConnectorContext connectorContext(FolioSync folioSync) {
        return access().connectorContext(Objects.requireNonNull(folioSync, "folioSync"));
    }

    /** @return the encrypted {@code plugin_configs} credentials, under the loaded master key */
    public static DatabaseCredentialStore credentials(FolioSync folioSync) {
        return access().credentials(Objects.requireNonNull(folioSync, "folioSync"));
    }

    private static Access access() {
        // a FolioSync instance exists, so its class initialisation installed the access already
        Access a = access;
        if (a == null) {
            throw new IllegalStateException("FolioSync is not initialised");
        }
        return a;
    }
}
