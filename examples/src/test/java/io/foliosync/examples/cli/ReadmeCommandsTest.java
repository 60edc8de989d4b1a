package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every command the README shows actually runs. {@code java} commands run as real processes from the
 * repository root, in README order, with the module's class path standing in for the shaded jar (which the
 * build makes only after the tests). The Maven commands cannot run inside the build they belong to: the test
 * checks the wrapper and that CI runs exactly the README's test command.
 */
class ReadmeCommandsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String JAR = "examples/target/foliosync.jar";

    static List<String> readmeCommands() throws Exception {
        List<String> commands = new ArrayList<>();
        boolean inBash = false;
        for (String line : Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                inBash = !inBash && line.equals("```bash");
                continue;
            }
            String l = line.strip();
            if (inBash && !l.isEmpty() && !l.startsWith("#")) {
                commands.add(l);
            }
        }
        return commands;
    }

    @Test
    void readmeShowsTheTwoCommandsOnItsFirstScreen() throws Exception {
        List<String> firstScreen = Files.readAllLines(ROOT.resolve("README.md")).subList(0, 20);
        assertThat(firstScreen).contains("./mvnw -B -q install -DskipTests && java -jar " + JAR + " demo",
                "./mvnw -B verify");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("\n./mvnw -B verify\n");
        assertThat(ROOT.resolve("mvnw")).isExecutable();
        assertThat(ROOT.resolve(".ci/run")).isExecutable();
    }

    @Test
    void everyJavaCommandInTheReadmeRuns() throws Exception {
        List<String> commands = readmeCommands();
        assertThat(commands).hasSizeGreaterThanOrEqualTo(8);
        String classPath = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String command : commands) {
            for (String part : command.split("&&")) {
                String c = part.strip();
                if (c.startsWith("./mvnw")) {
                    continue; // the build this test runs in
                }
                List<String> argv = new ArrayList<>(List.of(java, "-cp", classPath));
                List<String> words = List.of(c.split("\\s+"));
                if (c.startsWith("java -jar " + JAR)) {
                    argv.add(FolioSyncCli.class.getName());
                    argv.addAll(words.subList(3, words.size()));
                } else if (c.startsWith("java -cp " + JAR)) {
                    argv.addAll(words.subList(3, words.size()));
                } else {
                    throw new AssertionError("README command this test does not know how to run: " + c);
                }
                Path log = Files.createTempFile("readme-command", ".log");
                Process p = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(c + " finished").isTrue();
                String output = Files.readString(log);
                assertThat(p.exitValue()).as(c + "\n" + output).isZero();
                Files.delete(log);
            }
        }
    }

    @Test
    void readmeLinksPointAtFilesThatExist() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\]\\(([^)#]+)\\)").matcher(readme);
        while (m.find()) {
            String target = m.group(1);
            if (!target.startsWith("http")) {
                assertThat(ROOT.resolve(target.replace('/', File.separatorChar))).as(target).exists();
            }
        }
    }
}
