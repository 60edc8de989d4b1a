package io.foliosync.plugins;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** Where a plugin was found. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum PluginOrigin {
    /** on the application's class path: loaded by the application's class loader, trusted like the application */
    CLASSPATH,
    /** a jar in the plugin directory: loaded by a class loader of its own */
    DIRECTORY
}
