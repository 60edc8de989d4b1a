package io.foliosync.connectors.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Reads the compiled classes of one module and names every public type that does not say how stable it is: a
 * public top-level type needs {@code @API(status = …)}; a public nested type has its own or shares its enclosing
 * type's (one nested in a type that is not public is reachable by no one and needs none). A type in an
 * {@code internal} package must be {@code INTERNAL}. Each module's {@code ApiStatusTest} runs it on its own
 * classes, so a type added without a marker fails that module's build.
 */
public final class ApiStatus {
    private ApiStatus() {
    }

    /**
     * @param anyClassOfTheModule a class whose code source (its {@code target/classes} folder or jar) is scanned
     * @return one line per problem: the type's name and what is wrong; empty when every public type is marked
     */
    public static List<String> problems(Class<?> anyClassOfTheModule) {
        return problems(anyClassOfTheModule, name -> false);
    }

    /**
     * @param generated the classes a code generator wrote (no source of ours to mark), by binary name
     * @see #problems(Class)
     */
    public static List<String> problems(Class<?> anyClassOfTheModule, Predicate<String> generated) {
        Path root;
        try {
            root = Path.of(anyClassOfTheModule.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        ClassLoader loader = anyClassOfTheModule.getClassLoader();
        if (Files.isDirectory(root)) {
            return problems(root, loader, generated);
        }
        try (FileSystem jar = FileSystems.newFileSystem(root)) {
            return problems(jar.getPath("/"), loader, generated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> problems(Path root, ClassLoader loader, Predicate<String> generated) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String relative = root.relativize(p).toString().replace('\\', '/');
                if (relative.startsWith("META-INF/") || relative.endsWith("module-info.class")
                        || relative.endsWith("package-info.class")) {
                    continue;
                }
                String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                if (generated.test(name)) {
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    out.add(name + ": cannot be loaded to read its marker (" + e + ")");
                    continue;
                }
                check(type).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Optional<String> check(Class<?> type) {
        if (!reachable(type) || type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return Optional.empty();
        }
        Optional<API> marker = marker(type);
        if (marker.isEmpty()) {
            return Optional.of(type.getName() + ": public without @API(status = STABLE | EXPERIMENTAL | INTERNAL)");
        }
        boolean internalPackage = ("." + type.getPackageName() + ".").contains(".internal.");
        if (internalPackage && marker.get().status() != API.Status.INTERNAL) {
            return Optional.of(type.getName() + ": in an internal package but marked " + marker.get().status());
        }
        return Optional.empty();
    }

    /** A public type nested in a type that is not (a member of a package-private interface) is no one's API. */
    private static boolean reachable(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static Optional<API> marker(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            API api = t.getAnnotation(API.class);
            if (api != null) {
                return Optional.of(api);
            }
        }
        return Optional.empty();
    }
}
