package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A bank plugin tried to end the process ({@code System.exit}, {@code Runtime.exit}, {@code Runtime.halt}) and
 * was refused: the plugin fails with this error, naming it and the status it asked for, and FolioSync (the CLI,
 * the console, every other source of the run) carries on.
 *
 * <p>How: a plugin loaded from the plugin folder has its classes rewritten as they are loaded, so each call site
 * of those three methods calls the matching static method below instead (which throws). The JDK offers nothing
 * else that works on Java 17 and later: the SecurityManager that used to veto {@code exit} is deprecated for
 * removal (JEP 411) and refuses to be installed from Java 24. The rewrite covers direct calls and method
 * references in the plugin's own jar (its bundled libraries included); it does not cover a plugin that reaches
 * {@code Runtime.exit} through reflection or a {@code MethodHandle} looked up by name, nor a plugin put on the
 * application's class path (that one is part of the application). See docs/security.md.
 *
 * <p>The static methods are public only because rewritten plugin bytecode must be able to call them; nothing
 * else should.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PluginExitException extends ConnectorException {
    private static final long serialVersionUID = 1L;
    private static final String LOADER_PREFIX = "foliosync-plugin-";
    private final int status;

    public PluginExitException(String pluginId, String call, int status) {
        super(pluginId, "plugin " + pluginId + " called " + call + "(" + status + "): refused, a plugin cannot end "
                + "the FolioSync process; the plugin failed and every other source carries on");
        this.status = status;
    }

    /** @return the exit status the plugin asked for */
    public int status() {
        return status;
    }

    /** Stands in for {@code System.exit(status)} in rewritten plugin classes. */
    public static void exit(int status) {
        throw new PluginExitException(callingPlugin(), "System.exit", status);
    }

    /** Stands in for {@code runtime.exit(status)} in rewritten plugin classes. */
    public static void runtimeExit(Runtime runtime, int status) {
        throw new PluginExitException(callingPlugin(), "Runtime.exit", status);
    }

    /** Stands in for {@code runtime.halt(status)} in rewritten plugin classes. */
    public static void runtimeHalt(Runtime runtime, int status) {
        throw new PluginExitException(callingPlugin(), "Runtime.halt", status);
    }

    /** The plugin id from the name of the class loader that loaded the caller ({@code foliosync-plugin-<id>}). */
    private static String callingPlugin() {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c != PluginExitException.class).findFirst().orElse(null));
        ClassLoader loader = caller == null ? null : caller.getClassLoader();
        String name = loader == null ? null : loader.getName();
        return name != null && name.startsWith(LOADER_PREFIX) ? name.substring(LOADER_PREFIX.length()) : "unknown";
    }
}
