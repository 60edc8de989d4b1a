package io.foliosync.plugins;

import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.PluginMetadata;
import io.foliosync.plugins.PluginDiscovery.Found;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a discovered plugin: a class-path plugin in the application's class loader, a plugin-directory jar in a
 * class loader of its own whose parent shows only the Java platform and the SDK's API (so two plugins can bundle
 * clashing versions of one library), with its exits rewritten to throw; the jar is loaded only if it is still the
 * one discovery read. The provider class is checked, instantiated through {@link ServiceLoader} and its metadata
 * compared with the manifest.
 */
final class PluginLoading {
    private static final Logger LOG = LoggerFactory.getLogger(PluginLoading.class);
    private static final String API = BankIntegrationPlugin.class.getName();
    private static final int MAX_BROKEN_PROVIDERS = 10_000;

    private final ClassLoader applicationLoader;
    private final List<String> sharedPackages;

    /** @param sharedPackages the package prefixes a plugin's class loader shows from the host */
    PluginLoading(ClassLoader applicationLoader, List<String> sharedPackages) {
        this.applicationLoader = applicationLoader;
        this.sharedPackages = List.copyOf(sharedPackages);
    }

    /** A loaded plugin and the class loader it owns (none for a class-path plugin). */
    record Loaded(BankIntegrationPlugin plugin, PluginDescriptor descriptor, Optional<URLClassLoader> loader) {
    }

    /**
     * @throws PluginException naming the reason when the plugin is refused or broken, or its jar changed since
     *                         discovery
     */
    Loaded load(Found f) {
        PluginDescriptor d = f.descriptor();
        String id = d.id();
        if (d.origin() == PluginOrigin.CLASSPATH) {
            return new Loaded(instantiate(f, applicationLoader), d.withLoaded(true), Optional.empty());
        }
        String now;
        try {
            now = PluginJars.sha256(d.location());
        } catch (IOException e) {
            throw new PluginException(id, "cannot read " + d.location() + ": " + e.getMessage(), e);
        }
        if (!d.sha256().map(now::equals).orElse(false)) {
            throw new PluginException(id, d.location() + " changed since it was discovered: run discoverPlugins() "
                    + "again", null);
        }
        URLClassLoader loader = isolatedLoader(id, d.location());
        try {
            return new Loaded(instantiate(f, loader), d.withLoaded(true), Optional.of(loader));
        } catch (RuntimeException | Error e) {
            closeQuietly(id, loader);
            throw e;
        }
    }

    /** @return a class loader of the jar alone, over the Java platform and the SDK's API */
    URLClassLoader isolatedLoader(String id, Path jar) {
        try {
            // rewrites the plugin's System.exit / Runtime.exit / Runtime.halt so they throw (issue 23 case 2)
            return new ExitGuardingClassLoader(id, jar.toUri().toURL(),
                    new ApiOnlyClassLoader(BankIntegrationPlugin.class.getClassLoader(), sharedPackages));
        } catch (MalformedURLException e) {
            throw new PluginException(id, "cannot turn " + jar + " into a URL: " + e.getMessage(), e);
        }
    }

    static void closeQuietly(String id, URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.warn("closing the class loader of plugin {} failed: {}", id, e.toString());
        }
    }

    /** Checks the provider class, instantiates it through ServiceLoader and compares its metadata with the manifest. */
    static BankIntegrationPlugin instantiate(Found f, ClassLoader loader) {
        String id = f.descriptor().id();
        String cn = f.descriptor().providerClass();
        List<String> problems = new ArrayList<>();
        Class<?> cls;
        try {
            cls = Class.forName(cn, false, loader);
        } catch (ClassNotFoundException e) {
            throw new PluginException(id, List.of("provider class " + cn + " named in " + PluginJars.SERVICES
                    + " is not in " + f.descriptor().location()));
        } catch (LinkageError e) {
            throw new PluginException(id, List.of("provider class " + cn + " cannot be loaded (" + e
                    + "): bundle the libraries it needs in the plugin jar"));
        }
        if (!BankIntegrationPlugin.class.isAssignableFrom(cls)) {
            boolean copy = implementsByName(cls);
            problems.add(cn + " does not implement " + API + (copy ? " (it implements a copy of it from another "
                    + "class loader: do not bundle connectors-api in the plugin jar)" : ""));
        }
        if (!Modifier.isPublic(cls.getModifiers()) || Modifier.isAbstract(cls.getModifiers()) || cls.isInterface()) {
            problems.add(cn + " must be a public, non-abstract class");
        }
        try {
            cls.getConstructor();
        } catch (NoSuchMethodException e) {
            problems.add(cn + " has no public no-argument constructor, which ServiceLoader needs");
        } catch (LinkageError e) {
            problems.add(cn + " cannot be inspected (" + e + "): bundle the libraries it needs in the plugin jar");
        }
        if (!problems.isEmpty()) {
            throw new PluginException(id, problems);
        }
        BankIntegrationPlugin plugin = viaServiceLoader(id, cls, loader, f.descriptor().location());
        PluginMetadata md;
        try {
            md = plugin.metadata();
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException(id, List.of("metadata() of " + cn + " threw " + e));
        }
        if (md == null) {
            throw new PluginException(id, List.of("metadata() of " + cn + " returned null"));
        }
        problems.addAll(f.manifest().disagreements(md));
        if (!problems.isEmpty()) {
            throw new PluginException(id, problems);
        }
        return plugin;
    }

    private static boolean implementsByName(Class<?> cls) {
        for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(API)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Instantiates {@code cls} through {@link ServiceLoader}, the way SLF4J does: each provider on its own, so a
     * broken provider elsewhere on the class path is skipped rather than stopping the search.
     */
    private static BankIntegrationPlugin viaServiceLoader(String id, Class<?> cls, ClassLoader loader, Path location) {
        Iterator<ServiceLoader.Provider<BankIntegrationPlugin>> it =
                ServiceLoader.load(BankIntegrationPlugin.class, loader).stream().iterator();
        for (int broken = 0; broken < MAX_BROKEN_PROVIDERS; ) {
            ServiceLoader.Provider<BankIntegrationPlugin> provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                broken++;
                LOG.debug("skipping a broken provider while looking for {}: {}", cls.getName(), e.toString());
                continue;
            }
            if (provider.type() != cls) {
                continue;
            }
            try {
                return provider.get();
            } catch (ServiceConfigurationError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new PluginException(id, "the constructor of " + cls.getName() + " threw " + cause, cause);
            } catch (RuntimeException | LinkageError e) {
                throw new PluginException(id, "the constructor of " + cls.getName() + " threw " + e, e);
            }
        }
        throw new PluginException(id, "ServiceLoader does not offer " + cls.getName() + " from " + location
                + ": check " + PluginJars.SERVICES, null);
    }
}
