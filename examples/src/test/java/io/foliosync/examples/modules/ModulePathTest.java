package io.foliosync.examples.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that embeds FolioSync, built and run the two ways applications are: as a named module on the
 * module path, where only the exported packages can be named, and on the class path. Both sync an IBKR Flex
 * statement (the connector found through its module's {@code provides}, the migrations read from import-core's
 * jar) and read the result back through {@code FolioSync.query()}. What they run on is the SDK's runtime
 * dependencies as Maven resolves them ({@code target/sdk-module-path.txt}, written by the
 * {@code sdk-module-path} execution of this module's pom), none of the CLI's.
 */
class ModulePathTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static final String MAIN = """
            package consumer;

            import io.foliosync.imports.FolioSync;
            import io.foliosync.imports.JobResult;
            import io.foliosync.imports.SyncReport;
            import io.foliosync.imports.query.PortfolioQuery;
            import io.foliosync.imports.query.TransactionPageQuery;
            import java.nio.file.Path;
            import java.util.Map;
            import java.util.Optional;

            public class Main {
                public static void main(String[] args) {
                    try (FolioSync fs = FolioSync.fromConfig(Path.of(args[0]),
                            Map.of("FOLIOSYNC_MASTER_KEY", args[1]), Optional.empty())) {
                        SyncReport report = fs.syncAll();
                        long imported = report.results().stream().mapToLong(j -> j.counts().imported()).sum();
                        PortfolioQuery q = fs.query();
                        System.out.println("sources " + fs.sourceIds() + " imported " + imported
                                + " rows " + q.transactions(TransactionPageQuery.firstPage(100)).rows().size()
                                + " jobs " + q.jobs(Optional.empty(), 10).size()
                                + " in " + Main.class.getModule());
                        if (!report.allSucceeded()) {
                            report.results().stream().map(JobResult::error).forEach(System.out::println);
                            System.exit(1);
                        }
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void flexStatementSource() throws IOException {
        Path statement = dir.resolve("flex.xml");
        try (InputStream in = ModulePathTest.class.getResourceAsStream("/issue21/flex-no-positions.xml")) {
            assertThat(in).isNotNull();
            Files.write(statement, in.readAllBytes());
        }
        config = dir.resolve("data_sources.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                  data_directory: %s
                  sync_frequency: manual
                interactive_brokers:
                  enabled: true
                  client_portal: false
                  flex:
                    files: ["%s"]
                """.formatted(dir.resolve("foliosync.db"), dir.resolve("master.key"), dir, statement));
    }

    @Test
    void anApplicationModuleSyncsAndReadsThroughThePublicApiOnTheModulePath() throws Exception {
        Path src = source("module consumer {\n    requires io.foliosync.imports;\n}\n", MAIN);
        Path out = dir.resolve("out");
        assertThat(compile(src, modulePath()).errors).isEmpty();

        Run run = java("--module-path", sdkPath() + File.pathSeparator + out, "-m", "consumer/consumer.Main",
                config.toString(), KEY);

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("sources [ibkr-flex-files] imported 4 rows 4 jobs 1 in module consumer");
    }

    @Test
    void theSameApplicationRunsOnTheClassPath() throws Exception {
        Path src = source(null, MAIN);
        Path out = dir.resolve("out");
        assertThat(compile(src, List.of("-classpath", sdkPath())).errors).isEmpty();

        Run run = java("-classpath", sdkPath() + File.pathSeparator + out, "consumer.Main", config.toString(), KEY);

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("sources [ibkr-flex-files] imported 4 rows 4 jobs 1 in unnamed module");
    }

    @Test
    void anInternalPackageDoesNotCompileOnTheModulePath() throws Exception {
        String reachingIn = """
                package consumer;

                import io.foliosync.connectors.api.http.RateLimiterRegistry;
                import io.foliosync.imports.FolioSync;
                import io.foliosync.imports.store.JdbcPortfolioStore;

                public class Main {
                    public static void main(String[] args) {
                        JdbcPortfolioStore store = null;
                        RateLimiterRegistry limits = RateLimiterRegistry.isolated();
                        FolioSync.builder();
                    }
                }
                """;
        Path src = source("module consumer {\n    requires io.foliosync.imports;\n}\n", reachingIn);

        List<String> errors = compile(src, modulePath()).errors;

        assertThat(errors)
                .anySatisfy(e -> assertThat(e).contains("package io.foliosync.imports.store is not visible").contains(
                        "declared in module io.foliosync.imports, which does not export it to module consumer"))
                .anySatisfy(e -> assertThat(e).contains("package io.foliosync.connectors.api.http is not visible")
                        .contains("declared in module io.foliosync.connectors.api, which does not export it to "
                                + "module consumer"))
                .noneSatisfy(e -> assertThat(e).contains("io.foliosync.imports.FolioSync"));
        // the fence is the module system's: on the class path the same code compiles, and the markers are the guide
        Path plain = source(null, reachingIn);
        assertThat(compile(plain, List.of("-classpath", sdkPath())).errors).isEmpty();
    }

    /**
     * @return the options that compile against the SDK on the module path alone: javac in this process would
     *         otherwise take this test's own class path as the unnamed module
     */
    private List<String> modulePath() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty-class-path"));
        return List.of("--module-path", sdkPath(), "-classpath", empty.toString());
    }

    /** @return the SDK's runtime: FolioSync's modules and their libraries, as the pom's execution wrote them */
    private static String sdkPath() throws IOException {
        Path file = Path.of("target", "sdk-module-path.txt");
        assertThat(file).as("written by the sdk-module-path execution (generate-test-resources)").exists();
        String path = Files.readString(file).trim();
        List<Path> entries = new ArrayList<>();
        for (String e : path.split(File.pathSeparator)) {
            entries.add(Path.of(e));
        }
        // a jar of an older build without module-info would be an automatic module exporting everything
        assertThat(ModuleFinder.of(entries.toArray(Path[]::new)).find("io.foliosync.imports"))
                .as("io.foliosync.imports in " + path).hasValueSatisfying(m -> assertThat(m.descriptor().isAutomatic())
                        .as("import-core without its module-info: build with -am").isFalse());
        return path;
    }

    private Path source(String moduleInfo, String main) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src-" + System.nanoTime()));
        if (moduleInfo != null) {
            Files.writeString(src.resolve("module-info.java"), moduleInfo);
        }
        Files.writeString(Files.createDirectories(src.resolve("consumer")).resolve("Main.java"), main);
        return src;
    }

    private record Compiled(List<String> errors) {
    }

    private Compiled compile(Path src, List<String> pathOptions) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<Path> sources;
        try (var files = Files.walk(src)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        List<String> options = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d",
                dir.resolve("out").toString()));
        options.addAll(pathOptions);
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            javac.getTask(new StringWriter(), fm, diagnostics, options, null,
                    fm.getJavaFileObjectsFromPaths(sources)).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d.getMessage(Locale.ROOT));
            }
        }
        return new Compiled(errors);
    }

    private record Run(int exit, String output) {
    }

    private Run java(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
