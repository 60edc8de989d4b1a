package io.foliosync.plugins;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every plugin-directory class loader. It shows a plugin the Java platform and, from the
 * application, only the packages of the SDK's API ({@code io.foliosync.connectors.api.} and the SLF4J API by
 * default): classes and resources of those packages come from the application, so a plugin and the
 * application agree on {@code BankIntegrationPlugin}, {@code BankTransaction} and friends; everything else
 * the application holds (its libraries, other plugins, {@code META-INF/services} files) stays invisible, so a
 * plugin bundles its own libraries in whatever versions it likes.
 */
final class ApiOnlyClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final ClassLoader application;
    private final List<String> classPrefixes;
    private final List<String> resourcePrefixes;

    ApiOnlyClassLoader(ClassLoader application, List<String> sharedPackagePrefixes) {
        super("foliosync-plugin-api", ClassLoader.getPlatformClassLoader());
        this.application = application;
        this.classPrefixes = List.copyOf(sharedPackagePrefixes);
        this.resourcePrefixes = classPrefixes.stream().map(p -> p.replace('.', '/')).toList();
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (String prefix : classPrefixes) {
            if (name.startsWith(prefix)) {
                return application.loadClass(name);
            }
        }
        throw new ClassNotFoundException(name + " is not part of the FolioSync plugin API; bundle it in the "
                + "plugin jar");
    }

    @Override
    protected URL findResource(String name) {
        return shared(name) ? application.getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return shared(name) ? application.getResources(name) : Collections.emptyEnumeration();
    }

    private boolean shared(String resource) {
        for (String prefix : resourcePrefixes) {
            if (resource.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
