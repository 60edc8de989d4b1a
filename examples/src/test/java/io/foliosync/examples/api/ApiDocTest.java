package io.foliosync.examples.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code java} block of docs/api.md against the modules as this build made them, so the examples
 * of the stable surface cannot drift from it. A block that declares a class is a compilation unit; any other is
 * the body of a method, its leading {@code import} lines kept as the unit's imports.
 */
class ApiDocTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("^public (final )?class (\\w+)", Pattern.MULTILINE);

    @TempDir
    Path out;

    @Test
    void everyExampleOfTheApiPageCompiles() throws IOException {
        Path doc = repository().resolve("docs/api.md");
        List<JavaFileObject> units = new ArrayList<>();
        Matcher m = BLOCK.matcher(Files.readString(doc));
        while (m.find()) {
            units.add(unit(units.size() + 1, m.group(1)));
        }
        assertThat(units).as("java examples in " + doc).hasSizeGreaterThanOrEqualTo(6);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            boolean ok = javac.getTask(log, files, diagnostics, List.of("--release", "17", "-proc:none",
                    "-classpath", System.getProperty("java.class.path"), "-d", out.toString()), null, units).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.append(d.getSource().getName()).append(':').append(d.getLineNumber()).append(": ")
                            .append(d.getMessage(Locale.ROOT)).append('\n');
                }
            }
            assertThat(errors.toString()).as("docs/api.md examples").isEmpty();
            assertThat(ok).as(log.toString()).isTrue();
        }
    }

    private static JavaFileObject unit(int n, String block) {
        Matcher c = CLASS.matcher(block);
        if (c.find()) {
            return source(c.group(2), block);
        }
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : block.split("\n")) {
            (line.startsWith("import ") && body.isEmpty() ? imports : body).append(line).append('\n');
        }
        String name = "ApiExample" + n;
        return source(name, imports + "\nclass " + name + " {\n    static void run() throws Exception {\n" + body
                + "    }\n}\n");
    }

    private static JavaFileObject source(String className, String code) {
        return new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }

    private static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/api.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("no docs/api.md above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

}
