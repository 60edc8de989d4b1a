package io.foliosync.plugins.icbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.plugins.PluginManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded plugin jar (Maven's {@code package} output, named by {@code foliosync.plugin.jar}) dropped into a
 * plugin directory imports the GBK sample from a class loader that sees only the SDK API: Commons CSV must be
 * inside the jar, under the plugin's own package.
 */
class IcbcJarInPluginDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void theShadedJarCarriesRelocatedCommonsCsvAndImportsOnItsOwn() throws Exception {
        Path built = Path.of(System.getProperty("foliosync.plugin.jar", "target/run-through-mvn-package.jar"));
        try (JarFile jar = new JarFile(built.toFile())) {
            assertThat(jar.getEntry("io/foliosync/plugins/icbc/shaded/csv/CSVFormat.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/commons/csv/CSVFormat.class")).isNull();
            assertThat(jar.getEntry("META-INF/foliosync/plugin.yaml")).isNotNull();
        }
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Files.copy(built, plugins.resolve("bank-plugin-icbc.jar"));
        Path statements = Files.createDirectories(tmp.resolve("statements"));
        Files.copy(IcbcCsvParserTest.sample(), statements.resolve("history.csv"));

        try (PluginManager manager = PluginManager.builder().classpathDiscovery(false).pluginDirectory(plugins).build()) {
            assertThat(manager.validatePlugin(plugins.resolve("bank-plugin-icbc.jar")).problems()).isEmpty();
            BankIntegrationPlugin plugin = manager.loadPlugin("icbc");
            assertThat(plugin.getClass().getClassLoader()).isNotSameAs(IcbcPlugin.class.getClassLoader());

            assertThat(plugin.authenticate(Map.of("statement_dir", statements.toString())).success()).isTrue();
            assertThat(plugin.getTransactions("icbc-7890", Optional.empty())).extracting(BankTransaction::sourceId)
                    .containsExactlyElementsOf(SourceIdsUnchangedTest.describe("gbk", IcbcCsvParserTest.sample())
                            .stream().map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList());
            assertThat(manager.unloadPlugin("icbc")).isTrue();
        }
    }
}
