package io.foliosync.plugins.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.plugins.PluginManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy this test with the template: it proves the jar Maven packs works the way a user installs it, dropped
 * into a plugin directory and loaded in a class loader that shows it only the SDK API. A library the plugin
 * forgot to bundle fails here with NoClassDefFoundError. The pom runs it in the {@code package} phase, after
 * the shade plugin, and names the jar in {@code foliosync.plugin.jar}.
 */
class TemplateJarInPluginDirectoryTest {
    /** The jar {@code mvn package} built; the property is set by the pom's second surefire execution. */
    private static final Path BUILT = Path.of(System.getProperty("foliosync.plugin.jar", "target/run-mvn-package.jar"));

    @Test
    void theJarAsInstalledImportsTheSample(@TempDir Path tmp) throws Exception {
        try (JarFile jar = new JarFile(BUILT.toFile())) {
            assertThat(jar.getEntry("io/foliosync/plugins/template/shaded/csv/CSVParser.class"))
                    .as("Commons CSV bundled under the plugin's own package").isNotNull();
            assertThat(jar.stream().filter(e -> e.getName().startsWith("org/apache/"))).isEmpty();
        }
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Files.copy(BUILT, plugins.resolve("bank-plugin-template.jar"));
        Path statements = Files.createDirectories(tmp.resolve("statements"));
        Files.copy(Path.of(getClass().getResource("/template/checking.csv").toURI()), statements.resolve("checking.csv"));

        try (PluginManager manager = PluginManager.builder().classpathDiscovery(false).pluginDirectory(plugins).build()) {
            assertThat(manager.discoverPlugins().problems()).isEmpty();
            BankIntegrationPlugin plugin = manager.loadPlugin("template");
            assertThat(plugin.getClass().getClassLoader()).isNotSameAs(TemplatePlugin.class.getClassLoader());
            assertThat(plugin.authenticate(Map.of("statement_dir", statements.toString())).success()).isTrue();
            assertThat(plugin.getTransactions("template-checking", Optional.empty())).hasSize(4);
            assertThat(plugin.getBalance("template-checking")).hasValueSatisfying(b ->
                    assertThat(b.amount()).isEqualByComparingTo("3491"));
        }
    }
}
