package io.foliosync.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AssetClass;
import io.foliosync.connectors.api.AuthenticationResult;
import io.foliosync.connectors.api.AuthenticationType;
import io.foliosync.connectors.api.BankIntegrationPlugin;
import io.foliosync.connectors.api.BankTransaction;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginManagerTest {
    @TempDir
    Path tmp;

    private Path plugins() {
        return tmp.resolve("plugins");
    }

    private PluginManager.Builder directoryOnly() {
        return PluginManager.builder().classpathDiscovery(false).pluginDirectory(plugins());
    }

    @Test
    void discoversDirectoryJarsFromManifestsWithoutInstantiating() {
        TestJars.plugin("alpha-bank").writeJar(plugins().resolve("alpha.jar"));
        TestJars.plugin("beta-bank").writeJar(plugins().resolve("beta.jar"));
        writeBytes(plugins().resolve("notes.txt"), "not a plugin".getBytes());

        try (PluginManager manager = directoryOnly().build()) {
            DiscoveryReport report = manager.discoverPlugins();

            assertThat(report.problems()).isEmpty();
            assertThat(report.plugins()).extracting(PluginDescriptor::id).containsExactly("alpha-bank", "beta-bank");
            PluginDescriptor alpha = report.plugin("alpha-bank").orElseThrow();
            assertThat(alpha.name()).isEqualTo("Test alpha-bank");
            assertThat(alpha.version()).isEqualTo("1.0.0");
            assertThat(alpha.author()).isEqualTo("FolioSync tests");
            assertThat(alpha.description()).isEqualTo("test plugin alpha-bank");
            assertThat(alpha.countries()).containsExactly("US");
            assertThat(alpha.assetTypes()).containsExactly(AssetClass.CASH);
            assertThat(alpha.authType()).isEqualTo(AuthenticationType.FILE);
            assertThat(alpha.providerClass()).isEqualTo("test.alpha_bank.Plugin");
            assertThat(alpha.location()).isEqualTo(plugins().resolve("alpha.jar"));
            assertThat(alpha.origin()).isEqualTo(PluginOrigin.DIRECTORY);
            assertThat(alpha.sha256()).hasValueSatisfying(d -> assertThat(d).hasSize(64));
            assertThat(alpha.loaded()).isFalse();
            assertThat(System.getProperty("plugin-test.constructed.alpha-bank")).isNull();

            BankIntegrationPlugin plugin = manager.loadPlugin("alpha-bank");

            assertThat(System.getProperty("plugin-test.constructed.alpha-bank")).isEqualTo("true");
            assertThat(plugin.metadata().id()).isEqualTo("alpha-bank");
            assertThat(manager.discoverPlugins().plugin("alpha-bank").orElseThrow().loaded()).isTrue();
            assertThat(manager.discoverPlugins().plugin("beta-bank").orElseThrow().loaded()).isFalse();
        } finally {
            System.clearProperty("plugin-test.constructed.alpha-bank");
        }
    }

    @Test
    void discoversClassPathPluginsInJarsAndDirectories() throws Exception {
        Path jar = TestJars.plugin("cp-jar").writeJar(tmp.resolve("cp/cp-jar.jar"));
        Path dir = TestJars.plugin("cp-dir").writeDirectory(tmp.resolve("cp/classes"));
        try (URLClassLoader app = new URLClassLoader(new URL[] {jar.toUri().toURL(), dir.toUri().toURL()},
                getClass().getClassLoader());
             PluginManager manager = PluginManager.builder().classLoader(app).build()) {
            DiscoveryReport report = manager.discoverPlugins();

            assertThat(report.problems()).isEmpty();
            assertThat(report.plugins()).extracting(PluginDescriptor::id).containsExactly("cp-jar", "cp-dir");
            assertThat(report.plugin("cp-jar").orElseThrow().location()).isEqualTo(jar);
            assertThat(report.plugin("cp-dir").orElseThrow().location()).isEqualTo(dir);
            assertThat(report.plugins()).allSatisfy(p -> assertThat(p.origin()).isEqualTo(PluginOrigin.CLASSPATH));

            BankIntegrationPlugin plugin = manager.loadPlugin("cp-dir");
            assertThat(plugin.getClass().getClassLoader()).isSameAs(app);
            assertThat(manager.loadPlugin("cp-jar").metadata().id()).isEqualTo("cp-jar");
        }
    }

    @Test
    void brokenClassPathProviderDoesNotHideTheNextOne() throws Exception {
        Path broken = TestJars.builder()
                .resource(TestJars.MANIFEST, TestJars.manifest("broken-cp", "x"))
                .resource(TestJars.SERVICES, "test.missing.Plugin\n")
                .writeJar(tmp.resolve("cp/a-broken.jar"));
        Path good = TestJars.plugin("good-cp").writeJar(tmp.resolve("cp/b-good.jar"));
        try (URLClassLoader app = new URLClassLoader(new URL[] {broken.toUri().toURL(), good.toUri().toURL()},
                getClass().getClassLoader());
             PluginManager manager = PluginManager.builder().classLoader(app).build()) {
            assertThat(manager.loadPlugin("good-cp").metadata().id()).isEqualTo("good-cp");
            assertThatThrownBy(() -> manager.loadPlugin("broken-cp"))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("provider class test.missing.Plugin named in " + TestJars.SERVICES + " is not in");
        }
    }

    @Test
    void pluginsWithConflictingVersionsOfOneLibraryStayIsolated() throws Exception {
        for (String v : List.of("1", "2")) {
            String id = "iso-" + v;
            String pkg = "test.iso" + v;
            TestJars.builder()
                    .source("com.example.shared.Lib", "package com.example.shared;\n"
                            + "public final class Lib { public static String version() { return \"" + v + "\"; } }\n")
                    .source(pkg + ".Plugin", TestJars.pluginSource(pkg, id, "\"lib \" + com.example.shared.Lib.version()", ""))
                    .resource(TestJars.MANIFEST, TestJars.manifest(id, "lib " + v))
                    .resource(TestJars.SERVICES, pkg + ".Plugin\n")
                    .writeJar(plugins().resolve(id + ".jar"));
        }
        try (PluginManager manager = directoryOnly().build()) {
            BankIntegrationPlugin one = manager.loadPlugin("iso-1");
            BankIntegrationPlugin two = manager.loadPlugin("iso-2");

            assertThat(one.metadata().description()).isEqualTo("lib 1");
            assertThat(two.metadata().description()).isEqualTo("lib 2");
            ClassLoader l1 = one.getClass().getClassLoader();
            ClassLoader l2 = two.getClass().getClassLoader();
            assertThat(l1).isNotSameAs(l2).isInstanceOf(URLClassLoader.class);
            assertThat(l1.loadClass("com.example.shared.Lib")).isNotSameAs(l2.loadClass("com.example.shared.Lib"));
            // the SDK API is shared, parent first: same classes as the application's
            assertThat(l1.loadClass(BankTransaction.class.getName())).isSameAs(BankTransaction.class);
            assertThat(l2.loadClass(BankIntegrationPlugin.class.getName())).isSameAs(BankIntegrationPlugin.class);
            // everything else of the application is invisible
            assertThatThrownBy(() -> l1.loadClass(PluginManager.class.getName()))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> l1.loadClass("org.assertj.core.api.Assertions"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThat(l1.getResource("org/assertj/core/api/Assertions.class")).isNull();
            assertThat(l1.getResources(TestJars.SERVICES).hasMoreElements()).isTrue();
            assertThat(java.util.Collections.list(l1.getResources(TestJars.SERVICES))).hasSize(1);
        }
    }

    @Test
    void aCopyOfTheApiInsideAPluginJarIsIgnoredBecauseTheApiLoadsParentFirst() {
        TestJars.plugin("bundles-api")
                .resource("io/foliosync/connectors/api/BankIntegrationPlugin.class",
                        TestJars.classBytes(BankIntegrationPlugin.class))
                .writeJar(plugins().resolve("bundles-api.jar"));
        try (PluginManager manager = directoryOnly().build()) {
            BankIntegrationPlugin plugin = manager.loadPlugin("bundles-api");
            assertThat(plugin).isInstanceOf(BankIntegrationPlugin.class);
        }
    }

    @Test
    void unloadLogsOutDropsTheInstanceAndClosesTheClassLoader() throws Exception {
        TestJars.plugin("unload-me")
                .source("test.unload_me.Later", "package test.unload_me; public class Later {}")
                .writeJar(plugins().resolve("unload-me.jar"));
        try (PluginManager manager = directoryOnly().build()) {
            BankIntegrationPlugin plugin = manager.loadPlugin("unload-me");
            assertThat(manager.loadPlugin("unload-me")).isSameAs(plugin);
            assertThat(manager.getPlugin("unload-me")).containsSame(plugin);
            assertThat(manager.listLoadedPlugins()).extracting(PluginDescriptor::id).containsExactly("unload-me");
            URLClassLoader loader = (URLClassLoader) plugin.getClass().getClassLoader();
            assertThat(loader.getResource(TestJars.MANIFEST)).isNotNull();

            assertThat(manager.unloadPlugin("unload-me")).isTrue();

            assertThat(System.getProperty("plugin-test.logout.unload-me")).isEqualTo("true");
            assertThat(manager.getPlugin("unload-me")).isEmpty();
            assertThat(manager.listLoadedPlugins()).isEmpty();
            assertThat(loader.getResource(TestJars.MANIFEST)).as("a closed loader finds nothing").isNull();
            assertThatThrownBy(() -> loader.loadClass("test.unload_me.Later")).isInstanceOf(ClassNotFoundException.class);
            assertThat(manager.unloadPlugin("unload-me")).isFalse();
            // loading again makes a fresh instance in a fresh loader
            BankIntegrationPlugin again = manager.loadPlugin("unload-me");
            assertThat(again).isNotSameAs(plugin);
            assertThat(again.getClass().getClassLoader()).isNotSameAs(loader);
        } finally {
            System.clearProperty("plugin-test.logout.unload-me");
        }
    }

    @Test
    void aBrokenPluginNeverHidesTheOthers() {
        TestJars.plugin("good-one").writeJar(plugins().resolve("a-good.jar"));
        TestJars.builder().resource(TestJars.MANIFEST, TestJars.manifest("missing-class", "x"))
                .resource(TestJars.SERVICES, "test.nothing.Here\n").writeJar(plugins().resolve("b-missing-class.jar"));
        TestJars.plugin("bad-manifest").resource(TestJars.MANIFEST, "id: [unclosed").writeJar(plugins().resolve("c-bad-manifest.jar"));
        TestJars.builder().source("test.throws_.Plugin", TestJars.pluginSource("test.throws_", "throws-up", "\"test plugin throws-up\"",
                        "if (true) throw new IllegalStateException(\"boom\");"))
                .resource(TestJars.MANIFEST, TestJars.manifest("throws-up", "test plugin throws-up"))
                .resource(TestJars.SERVICES, "test.throws_.Plugin\n").writeJar(plugins().resolve("d-throws.jar"));
        writeBytes(plugins().resolve("e-not-a-jar.jar"), "not a zip".getBytes());
        TestJars.plugin("good-two").writeJar(plugins().resolve("f-good.jar"));

        try (PluginManager manager = directoryOnly().build()) {
            DiscoveryReport report = manager.discoverPlugins();

            assertThat(report.plugins()).extracting(PluginDescriptor::id)
                    .containsExactly("good-one", "missing-class", "throws-up", "good-two");
            assertThat(report.problems()).extracting(PluginProblem::location).containsExactly(
                    plugins().resolve("c-bad-manifest.jar").toString(), plugins().resolve("e-not-a-jar.jar").toString());
            assertThat(report.problems().get(0).message()).contains("plugin.yaml is not valid YAML");
            assertThat(report.problems().get(1).message()).contains("is not a jar (zip) file");
            assertThatThrownBy(() -> manager.loadPlugin("missing-class")).hasMessageContaining("test.nothing.Here");
            assertThatThrownBy(() -> manager.loadPlugin("throws-up"))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("the constructor of test.throws_.Plugin threw java.lang.IllegalStateException: boom");
            assertThat(manager.loadPlugin("good-one")).isNotNull();
            assertThat(manager.loadPlugin("good-two")).isNotNull();
            assertThat(manager.listLoadedPlugins()).extracting(PluginDescriptor::id).containsExactly("good-one", "good-two");
        }
    }

    @Test
    void duplicateIdsKeepTheFirstAndReportTheSecondByName() {
        TestJars.plugin("twin").writeJar(plugins().resolve("a-twin.jar"));
        TestJars.plugin("twin").writeJar(plugins().resolve("b-twin.jar"));
        try (PluginManager manager = directoryOnly().build()) {
            DiscoveryReport report = manager.discoverPlugins();

            assertThat(report.plugins()).singleElement()
                    .satisfies(p -> assertThat(p.location()).isEqualTo(plugins().resolve("a-twin.jar")));
            assertThat(report.problems()).singleElement().satisfies(p -> {
                assertThat(p.pluginId()).hasValue("twin");
                assertThat(p.message()).contains("duplicate plugin id 'twin': already provided by "
                        + plugins().resolve("a-twin.jar"));
            });
        }
    }

    @Test
    void loadingAnUnknownIdNamesTheKnownOnes() {
        TestJars.plugin("known").writeJar(plugins().resolve("known.jar"));
        try (PluginManager manager = directoryOnly().build()) {
            assertThatThrownBy(() -> manager.loadPlugin("unknown"))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("no plugin with id 'unknown' was discovered (known: known)");
        }
    }

    @Test
    void allowListRefusesUnlistedJarsAndAcceptsListedOnes() throws Exception {
        Path trusted = TestJars.plugin("trusted").writeJar(plugins().resolve("trusted.jar"));
        TestJars.plugin("stranger").writeJar(plugins().resolve("stranger.jar"));
        String digest = PluginJars.sha256(trusted);
        Path allowList = tmp.resolve("trusted-plugins.sha256");
        Files.writeString(allowList, "# reviewed 2026-11-25\n" + digest.toUpperCase() + "  trusted.jar\n");

        try (PluginManager manager = directoryOnly().allowListFile(allowList).build()) {
            DiscoveryReport report = manager.discoverPlugins();

            assertThat(report.plugins()).extracting(PluginDescriptor::id).containsExactly("trusted");
            assertThat(report.problems()).singleElement().satisfies(p ->
                    assertThat(p.message()).startsWith("SHA-256 ").contains("of stranger.jar is not on the plugin allow-list"));
            assertThat(manager.loadPlugin("trusted")).isNotNull();
            assertThatThrownBy(() -> manager.loadPlugin("stranger")).isInstanceOf(PluginException.class);
            ValidationReport v = manager.validatePlugin(plugins().resolve("stranger.jar"));
            assertThat(v.valid()).isFalse();
            assertThat(v.problems()).singleElement().asString().contains("not on the plugin allow-list");
        }
        try (PluginManager none = directoryOnly().trustedDigests(List.of()).build()) {
            assertThat(none.discoverPlugins().plugins()).isEmpty();
        }
    }

    @Test
    void allowListFileWithSomethingElseThanDigestsIsAConfigurationError() throws Exception {
        Path allowList = Files.writeString(tmp.resolve("bad.sha256"), "not-a-digest  x.jar\n");
        assertThatThrownBy(() -> PluginManager.builder().allowListFile(allowList))
                .hasMessageContaining("bad.sha256 line 1: expected a SHA-256 digest");
    }

    @Test
    void aJarChangedAfterDiscoveryIsNotLoaded() {
        Path jar = TestJars.plugin("changing").writeJar(plugins().resolve("changing.jar"));
        try (PluginManager manager = directoryOnly().build()) {
            manager.discoverPlugins();
            TestJars.plugin("changing").resource("extra.txt", "x").writeJar(jar);
            assertThatThrownBy(() -> manager.loadPlugin("changing"))
                    .hasMessageContaining("changed since it was discovered");
        }
    }

    @Test
    void installCopiesAValidJarAndRefusesAnInvalidOne() {
        Path valid = TestJars.plugin("installable").writeJar(tmp.resolve("downloads/installable.jar"));
        Path invalid = TestJars.plugin("broken-install").withoutResource(TestJars.SERVICES)
                .writeJar(tmp.resolve("downloads/broken.jar"));
        try (PluginManager manager = directoryOnly().build()) {
            PluginDescriptor installed = manager.installPlugin(valid);

            assertThat(installed.id()).isEqualTo("installable");
            assertThat(installed.location()).isEqualTo(plugins().resolve("installable.jar"));
            assertThat(plugins().resolve("installable.jar")).hasSameBinaryContentAs(valid);
            assertThat(manager.loadPlugin("installable")).isNotNull();
            assertThatThrownBy(() -> manager.installPlugin(invalid))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining(TestJars.SERVICES + " is missing");
            assertThat(plugins().resolve("broken.jar")).doesNotExist();
            assertThatThrownBy(() -> manager.installPlugin(valid))
                    .hasMessageContaining("already provided by");
        }
    }

    @Test
    void installWithoutAPluginDirectoryIsRefused() {
        Path valid = TestJars.plugin("nowhere").writeJar(tmp.resolve("nowhere.jar"));
        try (PluginManager manager = PluginManager.builder().classpathDiscovery(false).build()) {
            assertThatThrownBy(() -> manager.installPlugin(valid)).hasMessageContaining("no plugin directory is configured");
        }
    }

    @Test
    void credentialsAreStoredEncryptedAndHandedDecryptedWithDefaults() {
        TestJars.plugin("with-creds").writeJar(plugins().resolve("with-creds.jar"));
        EncryptingMemoryCredentialStore store = new EncryptingMemoryCredentialStore(SecretCipher.of(MasterKey.generate()));
        try (PluginManager manager = directoryOnly().credentialStore(store).build()) {
            AuthenticationResult before = manager.authenticate("with-creds");
            assertThat(before.success()).isFalse();
            assertThat(before.message()).contains("statement_dir (Statement folder)");

            manager.saveCredentials("with-creds", Map.of("statement_dir", "/data/bank", "password", "hunter2"));

            assertThat(store.stored.get("with-creds").values())
                    .allSatisfy(v -> assertThat(v).startsWith("fs1:").doesNotContain("hunter2").doesNotContain("/data/bank"));
            AuthenticationResult result = manager.authenticate("with-creds");
            assertThat(result.success()).isTrue();
            assertThat(result.message()).isEqualTo("/data/bank|hunter2|auto");

            assertThatThrownBy(() -> manager.saveCredentials("with-creds", Map.of("statement_dir", "/x", "pin", "1")))
                    .hasMessageContaining("declares no auth field 'pin' (it declares: statement_dir, password, encoding)");
            assertThatThrownBy(() -> manager.saveCredentials("with-creds", Map.of("password", "x")))
                    .hasMessageContaining("needs its auth field 'statement_dir' (Statement folder)");
            manager.deleteCredentials("with-creds");
            assertThat(store.stored).isEmpty();
        }
    }

    @Test
    void credentialMethodsWithoutAStoreSaySo() {
        try (PluginManager manager = directoryOnly().build()) {
            assertThatThrownBy(() -> manager.authenticate("x")).hasMessageContaining("no CredentialStore is configured");
        }
    }

    static void writeBytes(Path p, byte[] b) {
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
