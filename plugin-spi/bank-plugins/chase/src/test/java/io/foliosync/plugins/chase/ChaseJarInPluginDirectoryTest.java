package io.foliosync.plugins.chase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.plugins.PluginManager;
import io.foliosync.plugins.ValidationReport;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin jar as Maven packs it (shaded: Commons CSV inside, relocated) in a plugin directory: validated,
 * then loaded in a class loader of its own that sees nothing of the application but the SDK API. Runs in the
 * {@code package} phase, after shading ({@code foliosync.plugin.jar} names the jar).
 */
class ChaseJarInPluginDirectoryTest {
    @TempDir
    Path tmp;

    private static Path shadedJar() {
        String jar = System.getProperty("foliosync.plugin.jar");
        assertNotNull(jar, "run through Maven (mvn package): foliosync.plugin.jar names the shaded plugin jar");
        return Path.of(jar);
    }

    @Test
    void theJarBundlesCommonsCsvRelocatedAndKeepsItsManifests() throws Exception {
        try (JarFile jar = new JarFile(shadedJar().toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("io/foliosync/plugins/chase/shaded/csv/CSVParser.class",
                    "META-INF/services/io.foliosync.connectors.api.BankIntegrationPlugin",
                    "META-INF/foliosync/plugin.yaml");
            assertThat(names).noneMatch(n -> n.startsWith("org/apache/"))
                    .noneMatch(n -> n.endsWith("module-info.class"));
        }
    }

    @Test
    void theJarValidatesAndImportsCsvAndOfxFromItsOwnClassLoader() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path jar = Files.copy(shadedJar(), plugins.resolve("bank-plugin-chase.jar"));
        Path statements = Files.createDirectories(tmp.resolve("statements"));
        Files.copy(Resources.path("ofx/ofxparse-checking.ofx"), statements.resolve("checking.ofx"));
        Files.copy(Resources.path("chase-csv/Chase5678_Activity20230131.CSV"),
                statements.resolve("Chase5678_Activity20230131.CSV"));
        try (PluginManager manager = PluginManager.builder().classpathDiscovery(false).pluginDirectory(plugins).build()) {
            ValidationReport report = manager.validatePlugin(jar);
            assertThat(report.problems()).isEmpty();

            BankIntegrationPlugin plugin = manager.loadPlugin("chase");

            assertThat(plugin.getClass().getClassLoader()).isInstanceOf(URLClassLoader.class)
                    .isNotSameAs(ChasePlugin.class.getClassLoader());
            assertThat(plugin.authenticate(Map.of("statement_dir", statements.toString())).success()).isTrue();
            assertThat(plugin.getTransactions("chase-6877", Optional.empty())).hasSize(3);
            List<BankTransaction> card = plugin.getTransactions("chase-5678", Optional.empty());
            assertThat(card).hasSize(5).extracting(BankTransaction::sourceId)
                    .containsAll(SourceIdsUnchangedTest.describe("chase-csv/Chase5678_Activity20230131.CSV").stream()
                            .map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList());
            assertThat(manager.unloadPlugin("chase")).isTrue();
        }
    }
}
