package io.foliosync.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reason validatePlugin refuses a jar, each with its message. */
class ValidationTest {
    @TempDir
    Path tmp;

    private ValidationReport validate(TestJars jar) {
        return validate(jar, PluginManager.builder().classpathDiscovery(false).pluginDirectory(tmp.resolve("plugins")));
    }

    private ValidationReport validate(TestJars jar, PluginManager.Builder builder) {
        Path file = jar.writeJar(tmp.resolve("candidate.jar"));
        try (PluginManager manager = builder.build()) {
            return manager.validatePlugin(file);
        }
    }

    private static TestJars withManifest(String yaml) {
        return TestJars.plugin("sample").resource(TestJars.MANIFEST, yaml);
    }

    @Test
    void aCompletePluginIsValid() {
        ValidationReport r = validate(TestJars.plugin("sample"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.valid()).isTrue();
        assertThat(r.plugin()).hasValueSatisfying(p -> assertThat(p.id()).isEqualTo("sample"));
        assertThat(r.sha256()).isPresent();
    }

    @Test
    void missingFileIsReported() {
        try (PluginManager m = PluginManager.builder().classpathDiscovery(false).build()) {
            ValidationReport r = m.validatePlugin(tmp.resolve("nope.jar"));
            assertThat(r.problems()).containsExactly(tmp.resolve("nope.jar") + " does not exist");
        }
    }

    @Test
    void notAJarIsReported() throws Exception {
        Path file = java.nio.file.Files.writeString(tmp.resolve("x.jar"), "plain text");
        try (PluginManager m = PluginManager.builder().classpathDiscovery(false).build()) {
            assertThat(m.validatePlugin(file).problems()).singleElement().asString()
                    .startsWith("x.jar is not a jar (zip) file");
        }
    }

    @Test
    void missingManifestIsReported() {
        ValidationReport r = validate(TestJars.plugin("sample").withoutResource(TestJars.MANIFEST));
        assertThat(r.problems()).containsExactly(
                "META-INF/foliosync/plugin.yaml is missing: every plugin jar describes itself there");
    }

    @Test
    void manifestWithoutIdNameVersionNamesEachKey() {
        ValidationReport r = validate(withManifest("author: someone\nmin_sdk_version: 0.1.0\n"));
        assertThat(r.problems()).containsExactly(
                "META-INF/foliosync/plugin.yaml lacks the required key 'id'",
                "META-INF/foliosync/plugin.yaml lacks the required key 'name'",
                "META-INF/foliosync/plugin.yaml lacks the required key 'version'");
    }

    @Test
    void manifestThatIsNotYamlIsReported() {
        assertThat(validate(withManifest("id: [oops")).problems()).singleElement().asString()
                .startsWith("META-INF/foliosync/plugin.yaml is not valid YAML: ");
    }

    @Test
    void manifestThatIsNotAMappingIsReported() {
        assertThat(validate(withManifest("- just\n- a list\n")).problems()).containsExactly(
                "META-INF/foliosync/plugin.yaml must be a YAML mapping of keys (id, name, version, ...)");
    }

    @Test
    void manifestFieldValuesAreChecked() {
        ValidationReport r = validate(withManifest("id: Bad Id\nname: n\nversion: 1\nmin_sdk_version: zero\n"
                + "countries: [usa]\nasset_types: [GOLD]\nauth_type: PIGEON\ncolour: blue\n"));
        assertThat(r.problems()).containsExactlyInAnyOrder(
                "META-INF/foliosync/plugin.yaml: unknown key 'colour' (known: asset_types, auth_type, author, "
                        + "countries, description, homepage, id, min_sdk_version, name, sdk_version_below, version)",
                "META-INF/foliosync/plugin.yaml: id must be 2 to 64 lower-case letters, digits, '-' or '_', "
                        + "starting with a letter, but was 'Bad Id'",
                "META-INF/foliosync/plugin.yaml: min_sdk_version must look like 1.2.3 (optionally with a -qualifier) "
                        + "but was 'zero'",
                "META-INF/foliosync/plugin.yaml: countries must hold ISO-3166 alpha-2 codes such as US, but holds 'usa'",
                "META-INF/foliosync/plugin.yaml: asset_types holds 'GOLD', which is none of [STOCK, ETF, BOND, OPTION, "
                        + "FUTURE, FOREX, CRYPTO, MUTUAL_FUND, CASH, OTHER]",
                "META-INF/foliosync/plugin.yaml: auth_type 'PIGEON' is none of [CREDENTIALS, API_KEY, OAUTH2, "
                        + "CERTIFICATE, FILE]");
    }

    @Test
    void missingServiceEntryIsReported() {
        assertThat(validate(TestJars.plugin("sample").withoutResource(TestJars.SERVICES)).problems()).containsExactly(
                TestJars.SERVICES + " is missing: it must name the class implementing "
                        + "io.foliosync.connectors.api.BankIntegrationPlugin");
    }

    @Test
    void emptyServiceEntryIsReported() {
        assertThat(validate(TestJars.plugin("sample").resource(TestJars.SERVICES, "# nothing\n")).problems())
                .containsExactly(TestJars.SERVICES + " names no class: it must name the class implementing "
                        + "io.foliosync.connectors.api.BankIntegrationPlugin");
    }

    @Test
    void twoProvidersInOneJarAreRefused() {
        assertThat(validate(TestJars.plugin("sample").resource(TestJars.SERVICES, "a.B\nc.D\n")).problems())
                .containsExactly(TestJars.SERVICES + " names 2 classes [a.B, c.D]: a plugin jar provides exactly one plugin");
    }

    @Test
    void providerClassMissingFromTheJarIsReported() {
        ValidationReport r = validate(TestJars.plugin("sample").resource(TestJars.SERVICES, "test.sample.Missing\n"));
        assertThat(r.problems()).singleElement().asString().isEqualTo("provider class test.sample.Missing named in "
                + TestJars.SERVICES + " is not in " + tmp.resolve("candidate.jar"));
    }

    @Test
    void classThatDoesNotImplementTheInterfaceIsReported() {
        ValidationReport r = validate(TestJars.plugin("sample")
                .source("test.sample.NotAPlugin", "package test.sample; public class NotAPlugin {}")
                .resource(TestJars.SERVICES, "test.sample.NotAPlugin\n"));
        assertThat(r.problems()).containsExactly(
                "test.sample.NotAPlugin does not implement io.foliosync.connectors.api.BankIntegrationPlugin");
    }

    @Test
    void classWithoutPublicNoArgConstructorIsReported() {
        String source = TestJars.pluginSource("test.sample", "sample", "\"test plugin sample\"", "")
                .replace("public Plugin() {", "public Plugin(String needsArgument) {");
        ValidationReport r = validate(TestJars.plugin("sample").source("test.sample.Plugin", source));
        assertThat(r.problems()).containsExactly(
                "test.sample.Plugin has no public no-argument constructor, which ServiceLoader needs");
    }

    @Test
    void nonPublicClassIsReported() {
        String source = TestJars.pluginSource("test.sample", "sample", "\"test plugin sample\"", "")
                .replace("public class Plugin", "class Plugin");
        ValidationReport r = validate(TestJars.plugin("sample").source("test.sample.Plugin", source));
        assertThat(r.problems()).contains("test.sample.Plugin must be a public, non-abstract class");
    }

    @Test
    void constructorThatThrowsIsReported() {
        String source = TestJars.pluginSource("test.sample", "sample", "\"test plugin sample\"",
                "if (true) throw new IllegalStateException(\"no network in tests\");");
        ValidationReport r = validate(TestJars.plugin("sample").source("test.sample.Plugin", source));
        assertThat(r.problems()).containsExactly(
                "the constructor of test.sample.Plugin threw java.lang.IllegalStateException: no network in tests");
    }

    @Test
    void metadataThatDisagreesWithTheManifestNamesEachField() {
        ValidationReport r = validate(withManifest(TestJars.manifest("sample", "test plugin sample")
                .replace("version: 1.0.0", "version: 1.0.1").replace("countries: [US]", "countries: [US, CA]")));
        assertThat(r.problems()).containsExactly(
                "META-INF/foliosync/plugin.yaml says version '1.0.1' but metadata() says '1.0.0': make them agree",
                "META-INF/foliosync/plugin.yaml says countries [CA, US] but metadata() says [US]: make them agree");
    }

    @Test
    void duplicateIdOfAnInstalledPluginIsReported() {
        Path installed = TestJars.plugin("sample").writeJar(tmp.resolve("plugins/sample-1.0.jar"));
        ValidationReport r = validate(TestJars.plugin("sample").resource("extra.txt", "a different jar"));
        assertThat(r.problems()).containsExactly("duplicate plugin id 'sample': already provided by " + installed);
    }

    @Test
    void revalidatingAnInstalledJarIsNotADuplicateOfItself() {
        Path installed = TestJars.plugin("sample").writeJar(tmp.resolve("plugins/sample.jar"));
        try (PluginManager m = PluginManager.builder().classpathDiscovery(false).pluginDirectory(tmp.resolve("plugins")).build()) {
            assertThat(m.validatePlugin(installed).problems()).isEmpty();
        }
    }

    @Test
    void sdkTooOldIsReported() {
        ValidationReport r = validate(TestJars.plugin("sample"),
                PluginManager.builder().classpathDiscovery(false).sdkVersion("0.0.9"));
        assertThat(r.problems()).containsExactly("plugin sample needs FolioSync 0.1.0 or newer (min_sdk_version) but "
                + "this is FolioSync 0.0.9: upgrade FolioSync or use an older version of the plugin");
    }

    @Test
    void sdkTooNewIsReported() {
        ValidationReport r = validate(withManifest(TestJars.manifest("sample", "test plugin sample")
                + "sdk_version_below: 0.2\n"), PluginManager.builder().classpathDiscovery(false).sdkVersion("0.2.0-SNAPSHOT"));
        assertThat(r.problems()).containsExactly("plugin sample supports FolioSync below 0.2 only (sdk_version_below) "
                + "but this is FolioSync 0.2.0-SNAPSHOT: get a newer version of the plugin");
    }

    @Test
    void snapshotOfTheMinimumVersionSatisfiesIt() {
        ValidationReport r = validate(TestJars.plugin("sample"),
                PluginManager.builder().classpathDiscovery(false).sdkVersion("0.1.0-SNAPSHOT"));
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void untrustedJarIsRefusedBeforeAnyOfItsCodeRuns() {
        String source = TestJars.pluginSource("test.sample", "sample", "\"test plugin sample\"",
                "System.setProperty(\"plugin-test.untrusted-ran\", \"true\");");
        ValidationReport r = validate(TestJars.plugin("sample").source("test.sample.Plugin", source),
                PluginManager.builder().classpathDiscovery(false).trustedDigests(java.util.List.of("0".repeat(64))));
        assertThat(r.problems()).singleElement().asString()
                .matches("SHA-256 [0-9a-f]{64} of candidate.jar is not on the plugin allow-list: check where the jar "
                        + "comes from, then add its digest to the allow-list");
        assertThat(System.getProperty("plugin-test.untrusted-ran")).isNull();
    }
}
