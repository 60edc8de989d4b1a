package io.foliosync.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.PluginExitException;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 cases 2 and 3: a plugin that tries to end the process, and one whose constructor throws. Before the
 * change the exiting plugins ended this test JVM (surefire reports the fork as crashed) and the throwing one made
 * the whole {@code plugins} section a configuration error.
 */
class HostilePluginsTest {
    @TempDir
    Path tmp;
    private ConnectorContext context;

    @BeforeEach
    void setUp() {
        SecretCipher cipher = SecretCipher.of(MasterKey.generate());
        context = new ConnectorContext(Clock.systemUTC(), tmp.resolve("data"), cipher, RateLimiterRegistry.isolated())
                .withCredentials(new EncryptingMemoryCredentialStore(cipher));
    }

    private Path plugins() {
        return tmp.resolve("plugins");
    }

    /** A plugin whose constructor runs {@code ctor} and whose {@code authenticate} runs {@code auth} first. */
    private static TestJars plugin(String id, String ctor, String auth) {
        String pkg = "test." + id.replace('-', '_');
        String source = TestJars.pluginSource(pkg, id, "\"test plugin " + id + "\"", ctor)
                .replace("  public AuthenticationResult authenticate(Map<String, String> c) {\n",
                        "  public AuthenticationResult authenticate(Map<String, String> c) {\n    " + auth + "\n");
        return TestJars.builder().source(pkg + ".Plugin", source)
                .resource(TestJars.MANIFEST, TestJars.manifest(id, "test plugin " + id))
                .resource(TestJars.SERVICES, pkg + ".Plugin\n");
    }

    private PluginManager manager() {
        return PluginManager.builder().classpathDiscovery(false).pluginDirectory(plugins()).build();
    }

    @Test
    void aPluginCallingSystemExitInItsConstructorFailsNamingItselfAndTheProcessLives() {
        plugin("exit-ctor", "if (true) System.exit(3);", "").writeJar(plugins().resolve("exit-ctor.jar"));
        try (PluginManager manager = manager()) {
            assertThatThrownBy(() -> manager.loadPlugin("exit-ctor")).isInstanceOf(PluginException.class)
                    .hasMessageContaining("exit-ctor").hasMessageContaining("System.exit(3)")
                    .hasRootCauseInstanceOf(PluginExitException.class);
        }
    }

    @Test
    void runtimeHaltExitAndAMethodReferenceToExitInAuthenticateAreRefused() {
        plugin("halt-auth", "", "if (c.isEmpty()) Runtime.getRuntime().halt(4);")
                .writeJar(plugins().resolve("halt-auth.jar"));
        plugin("rtexit-auth", "", "if (c.isEmpty()) Runtime.getRuntime().exit(6);")
                .writeJar(plugins().resolve("rtexit-auth.jar"));
        plugin("ref-auth", "", "java.util.function.IntConsumer bye = System::exit; if (c.isEmpty()) bye.accept(5);")
                .writeJar(plugins().resolve("ref-auth.jar"));
        try (PluginManager manager = manager()) {
            BankIntegrationPlugin halt = manager.loadPlugin("halt-auth");
            assertThatThrownBy(() -> halt.authenticate(Map.of()))
                    .isInstanceOfSatisfying(PluginExitException.class, e -> {
                        assertThat(e.source()).hasValue("halt-auth");
                        assertThat(e.status()).isEqualTo(4);
                        assertThat(e).hasMessageContaining("Runtime.halt(4)");
                    });
            BankIntegrationPlugin rtExit = manager.loadPlugin("rtexit-auth");
            assertThatThrownBy(() -> rtExit.authenticate(Map.of())).isInstanceOf(PluginExitException.class)
                    .hasMessageContaining("plugin rtexit-auth called Runtime.exit(6)");
            BankIntegrationPlugin ref = manager.loadPlugin("ref-auth");
            assertThatThrownBy(() -> ref.authenticate(Map.of())).isInstanceOf(PluginExitException.class)
                    .hasMessageContaining("plugin ref-auth called System.exit(5)");
            // the same plugins still work when they do not try to exit
            assertThat(halt.authenticate(Map.of("statement_dir", "/s")).success()).isTrue();
        }
    }

    @Test
    void validatingAnUploadedJarThatExitsReportsItInsteadOfEndingTheProcess() {
        // the console validates an upload by constructing the plugin in a throw-away loader
        Path jar = tmp.resolve("upload/exit-upload.jar");
        plugin("exit-upload", "if (true) System.exit(7);", "").writeJar(jar);
        try (PluginManager manager = manager()) {
            ValidationReport report = manager.validatePlugin(jar);
            assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("System.exit(7)"));
        }
    }

    @Test
    void aPluginWhoseConstructorThrowsFailsAloneWhileTheOthersAreSources() {
        TestJars.plugin("alpha-bank").writeJar(plugins().resolve("alpha.jar"));
        plugin("broken-bank", "if (true) throw new IllegalStateException(\"no config\");", "")
                .writeJar(plugins().resolve("broken.jar"));
        plugin("exiting-bank", "if (true) System.exit(9);", "").writeJar(plugins().resolve("exiting.jar"));
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("directory", plugins().toString());
        section.put("enabled", List.of("alpha-bank", "broken-bank", "exiting-bank"));
        section.put("classpath", false);

        List<Connector> sources = new BankPluginConnectorProvider().create(new ConfigSection("plugins", section),
                context);
        try {
            assertThat(sources).extracting(Connector::sourceId)
                    .containsExactly("alpha-bank", "broken-bank", "exiting-bank");
            assertThat(sources.get(0).authenticate().success()).isTrue();
            assertThatThrownBy(() -> sources.get(1).authenticate()).isInstanceOf(PluginException.class)
                    .hasMessageContaining("broken-bank").hasMessageContaining("no config");
            assertThat(sources.get(1).healthCheck().healthy()).isFalse();
            assertThatThrownBy(() -> sources.get(2).authenticate()).isInstanceOf(PluginException.class)
                    .hasMessageContaining("exiting-bank").hasMessageContaining("System.exit(9)");
        } finally {
            sources.forEach(Connector::close);
        }
    }

    @Test
    void anIdNoPluginOffersIsStillAConfigurationError() {
        TestJars.plugin("alpha-bank").writeJar(plugins().resolve("alpha.jar"));
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("directory", plugins().toString());
        section.put("enabled", List.of("alpha-bank", "no-such-bank"));
        section.put("classpath", false);
        assertThatThrownBy(() -> new BankPluginConnectorProvider().create(new ConfigSection("plugins", section),
                context)).isInstanceOf(ConfigurationException.class).hasMessageContaining("no-such-bank");
    }
}
