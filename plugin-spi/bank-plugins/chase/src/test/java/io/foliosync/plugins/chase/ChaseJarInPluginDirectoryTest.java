package io.foliosync.plugins.chase;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.plugins.PluginManager;
import io.foliosync.plugins.ValidationReport;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin as a jar in a plugin directory: validated, then loaded in a class loader of its own. */
class ChaseJarInPluginDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void theJarValidatesAndImportsFromItsOwnClassLoader() throws Exception {
        Path jar = jarOfMainClasses(tmp.resolve("plugins/bank-plugin-chase.jar"));
        Path statements = Files.createDirectories(tmp.resolve("statements"));
        Files.copy(Resources.path("ofx/ofxparse-checking.ofx"), statements.resolve("checking.ofx"));
        try (PluginManager manager = PluginManager.builder().classpathDiscovery(false)
                .pluginDirectory(tmp.resolve("plugins")).build()) {
            ValidationReport report = manager.validatePlugin(jar);
            assertThat(report.problems()).isEmpty();

            BankIntegrationPlugin plugin = manager.loadPlugin("chase");

            assertThat(plugin.getClass().getClassLoader()).isInstanceOf(URLClassLoader.class)
                    .isNotSameAs(ChasePlugin.class.getClassLoader());
            assertThat(plugin.authenticate(Map.of("statement_dir", statements.toString())).success()).isTrue();
            assertThat(plugin.getTransactions("chase-6877", Optional.empty())).hasSize(3);
            assertThat(manager.unloadPlugin("chase")).isTrue();
        }
    }

    /** Packs target/classes (what the module's jar holds) into a jar. */
    private static Path jarOfMainClasses(Path jar) throws Exception {
        Path classes = mainClasses();
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jos.write(Files.readAllBytes(f));
                jos.closeEntry();
            }
        }
        return jar;
    }

    private static Path mainClasses() throws URISyntaxException {
        return Path.of(ChasePlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
