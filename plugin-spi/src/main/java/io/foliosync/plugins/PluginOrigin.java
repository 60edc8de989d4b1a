package io.foliosync.plugins;

/** Where a plugin was found. */
public enum PluginOrigin {
    /** on the application's class path: loaded by the application's class loader, trusted like the application */
    CLASSPATH,
    /** a jar in the plugin directory: loaded by a class loader of its own */
    DIRECTORY
}
