package io.foliosync.plugins;

import io.foliosync.connectors.api.BankIntegrationPlugin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars during a test: compiles Java sources held in strings against connectors-api with the
 * JDK's compiler, then writes the classes and the given resources into a jar.
 */
final class TestJars {
    static final String MANIFEST = "META-INF/foliosync/plugin.yaml";
    static final String SERVICES = "META-INF/services/io.foliosync.connectors.api.BankIntegrationPlugin";

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();

    static TestJars builder() {
        return new TestJars();
    }

    /** A complete, valid plugin {@code <pkg>.Plugin} with id {@code id}, its manifest and service entry. */
    static TestJars plugin(String id) {
        String pkg = "test." + id.replace('-', '_');
        return builder()
                .source(pkg + ".Plugin", pluginSource(pkg, id, "\"test plugin " + id + "\"", ""))
                .resource(MANIFEST, manifest(id, "test plugin " + id))
                .resource(SERVICES, pkg + ".Plugin\n");
    }

    static String manifest(String id, String description) {
        return "id: " + id + "\n"
                + "name: Test " + id + "\n"
                + "version: 1.0.0\n"
                + "author: FolioSync tests\n"
                + "description: " + description + "\n"
                + "countries: [US]\n"
                + "asset_types: [CASH]\n"
                + "auth_type: FILE\n"
                + "min_sdk_version: 0.1.0\n";
    }

    /**
     * @param description a Java expression for metadata().description()
     * @param constructorBody statements run by the public no-arg constructor
     */
    static String pluginSource(String pkg, String id, String description, String constructorBody) {
        return "package " + pkg + ";\n"
                + "import io.foliosync.connectors.api.*;\n"
                + "import java.time.*;\n"
                + "import java.util.*;\n"
                + "public class Plugin implements BankIntegrationPlugin {\n"
                + "  public Plugin() { System.setProperty(\"plugin-test.constructed." + id + "\", \"true\"); "
                + constructorBody + " }\n"
                + "  public PluginMetadata metadata() {\n"
                + "    return new PluginMetadata(\"" + id + "\", \"Test " + id + "\", \"1.0.0\", \"FolioSync tests\", "
                + description + ", Set.of(\"US\"), Set.of(AssetClass.CASH), AuthenticationType.FILE,\n"
                + "        List.of(new AuthField(\"statement_dir\", \"Statement folder\", false, true, \"where\", Optional.empty()),\n"
                + "                new AuthField(\"password\", \"Password\", true, false, \"secret\", Optional.empty()),\n"
                + "                new AuthField(\"encoding\", \"Encoding\", false, true, \"enc\", Optional.of(\"auto\"))),\n"
                + "        Optional.empty(), \"0.1.0\", List.of());\n"
                + "  }\n"
                + "  public AuthenticationResult authenticate(Map<String, String> c) {\n"
                + "    return AuthenticationResult.success(c.get(\"statement_dir\") + \"|\" + c.get(\"password\") + \"|\" + c.get(\"encoding\"));\n"
                + "  }\n"
                + "  public List<Account> getAccounts() { return List.of(); }\n"
                + "  public List<Holding> getHoldings(String a) { return List.of(); }\n"
                + "  public List<BankTransaction> getTransactions(String a, Optional<LocalDate> s) { return List.of(); }\n"
                + "  public Optional<Balance> getBalance(String a) { return Optional.empty(); }\n"
                + "  public HealthStatus healthCheck() { return HealthStatus.healthy(\"ok\", Instant.EPOCH, Duration.ZERO); }\n"
                + "  public void logout() { System.setProperty(\"plugin-test.logout." + id + "\", \"true\"); }\n"
                + "}\n";
    }

    TestJars source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    TestJars resource(String path, String text) {
        resources.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TestJars resource(String path, byte[] bytes) {
        resources.put(path, bytes);
        return this;
    }

    TestJars withoutResource(String path) {
        resources.remove(path);
        return this;
    }

    /** Compiles the sources into {@code dir} and writes the resources there, as a class-path directory. */
    Path writeDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            compile(dir);
            for (Map.Entry<String, byte[]> r : resources.entrySet()) {
                Path p = dir.resolve(r.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, r.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles the sources and writes a jar at {@code jar}. */
    Path writeJar(Path jar) {
        try {
            Path classes = Files.createTempDirectory("test-plugin-classes");
            writeDirectory(classes);
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    jos.write(Files.readAllBytes(f));
                    jos.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void compile(Path out) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        }));
        String classPath = location(BankIntegrationPlugin.class) + java.io.File.pathSeparator
                + location(org.slf4j.Logger.class);
        List<String> options = List.of("--release", "17", "-classpath", classPath, "-d", out.toString());
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = compiler.getTask(null, fm, diagnostics, options, null, units).call();
            if (!ok) {
                throw new IllegalStateException("test plugin does not compile: " + diagnostics.getDiagnostics());
            }
        }
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the class file bytes of {@code c}, to copy into a jar */
    static byte[] classBytes(Class<?> c) {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
