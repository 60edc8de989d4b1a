package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Account;
import io.foliosync.examples.cli.ShadedJar.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 cases 2 and 3 through the shipped jar as a process: plugins that call {@code System.exit} in their
 * constructor, {@code Runtime.halt} in {@code authenticate}, or whose constructor throws, sit in the plugin folder
 * beside a Kraken account. Before the change the first ended the CLI with status 42 and nothing imported, and the
 * throwing one made every command, {@code plugins list} included, refuse the configuration.
 */
class HostilePluginJarTest {
    private static final String SECRET = Base64.getEncoder().encodeToString("kraken-secret".getBytes());

    @TempDir
    Path dir;
    FakeKraken kraken;
    Path db;
    Path config;

    @BeforeEach
    void configure() throws Exception {
        kraken = new FakeKraken("K1", 3, 1, 4);
        db = dir.resolve("foliosync.db");
        config = ShadedJar.config(dir, "data_sources.yaml", db, new Account("kraken", "api-key", SECRET, kraken));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        pluginJar(plugins.resolve("exit-ctor.jar"), "exit-ctor", "if (true) System.exit(42);", "");
        pluginJar(plugins.resolve("halt-auth.jar"), "halt-auth", "", "if (c.isEmpty()) Runtime.getRuntime().halt(43);");
        pluginJar(plugins.resolve("throw-ctor.jar"), "throw-ctor",
                "if (true) throw new IllegalStateException(\"broken on purpose\");", "");
        Files.writeString(config, Files.readString(config) + """
                plugins:
                  directory: %s
                  classpath: false
                  enabled: [exit-ctor, halt-auth, throw-ctor]
                """.formatted(plugins));
    }

    @AfterEach
    void stop() {
        kraken.close();
    }

    @Test
    void pluginsThatExitOrThrowFailAloneNamedAndTheOtherSourcesImport() throws Exception {
        Run sync = ShadedJar.sync(config);

        assertThat(sync.exit()).as(sync.output()).isNotIn(0, 42, 43);
        assertThat(sync.line("kraken")).contains("succeeded");
        assertThat(sync.imported("kraken")).as(sync.output()).isEqualTo(kraken.records());
        assertThat(sync.line("exit-ctor")).contains("failed");
        assertThat(sync.output()).contains("plugin exit-ctor called System.exit(42)")
                .contains("plugin halt-auth called Runtime.halt(43)").contains("broken on purpose");
        assertThat(sync.line("halt-auth")).contains("failed");
        assertThat(sync.line("throw-ctor")).contains("failed");

        Run list = ShadedJar.start(dir, "plugins", "list", "--config", config.toString()).await();
        assertThat(list.exit()).as(list.output()).isZero();
        assertThat(list.output()).contains("exit-ctor").contains("halt-auth").contains("throw-ctor");
    }

    private void pluginJar(Path jar, String id, String ctor, String auth) throws IOException {
        pluginJar(dir, jar, id, ctor, auth);
    }

    /**
     * Compiles a plugin against the shipped jar's API and writes it as a plugin jar: {@code ctor} runs in its
     * constructor, {@code auth} at the start of {@code authenticate} (its credentials are {@code c}).
     */
    static void pluginJar(Path dir, Path jar, String id, String ctor, String auth) throws IOException {
        String pkg = "hostile." + id.replace('-', '_');
        String source = "package " + pkg + ";\n"
                + "import io.foliosync.connectors.api.*;\n"
                + "import java.time.*;\nimport java.util.*;\n"
                + "public class Plugin implements BankIntegrationPlugin {\n"
                + "  public Plugin() { " + ctor + " }\n"
                + "  public PluginMetadata metadata() {\n"
                + "    return new PluginMetadata(\"" + id + "\", \"Hostile " + id + "\", \"1.0.0\", \"tests\", \"hostile\","
                + " Set.of(\"US\"), Set.of(AssetClass.CASH), AuthenticationType.FILE, List.of(), Optional.empty(),"
                + " \"0.1.0\", List.of());\n  }\n"
                + "  public AuthenticationResult authenticate(Map<String, String> c) { " + auth
                + " return AuthenticationResult.success(\"ok\"); }\n"
                + "  public List<Account> getAccounts() { return List.of(); }\n"
                + "  public List<Holding> getHoldings(String a) { return List.of(); }\n"
                + "  public List<BankTransaction> getTransactions(String a, Optional<LocalDate> s) { return List.of(); }\n"
                + "  public Optional<Balance> getBalance(String a) { return Optional.empty(); }\n"
                + "  public HealthStatus healthCheck() { return HealthStatus.healthy(\"ok\", Instant.EPOCH, Duration.ZERO); }\n"
                + "  public void logout() { }\n"
                + "}\n";
        Path src = dir.resolve("src-" + id);
        Path file = src.resolve(pkg.replace('.', '/')).resolve("Plugin.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Path classes = Files.createDirectories(dir.resolve("classes-" + id));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-cp", ShadedJar.jar().toString(),
                "-d", classes.toString(), file.toString());
        assertThat(rc).as("compiling " + id).isZero();
        String manifest = "id: " + id + "\nname: Hostile " + id + "\nversion: 1.0.0\nauthor: tests\n"
                + "description: hostile\ncountries: [US]\nasset_types: [CASH]\nauth_type: FILE\nmin_sdk_version: 0.1.0\n";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "META-INF/foliosync/plugin.yaml", manifest.getBytes(StandardCharsets.UTF_8));
            put(out, "META-INF/services/io.foliosync.connectors.api.BankIntegrationPlugin",
                    (pkg + ".Plugin\n").getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> s = Files.walk(classes)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    put(out, classes.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            }
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
