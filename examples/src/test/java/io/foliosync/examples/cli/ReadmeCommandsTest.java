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
                boolean server = words.contains("serve") || words.contains("--serve");
                if (server) {
                    argv.addAll(List.of("--port", "0")); // the console: any free port, so a busy 5000 fails nothing
                }
                Path log = Files.createTempFile("readme-command", ".log");
                Process p = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (server) {
                    awaitConsoleThenStop(c, p, log);
                    Files.delete(log);
                    continue;
                }
                assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(c + " finished").isTrue();
                String output = Files.readString(log);
                assertThat(p.exitValue()).as(c + "\n" + output).isZero();
                Files.delete(log);
            }
        }
    }

    /** A console runs until stopped: it must print its address, answer it, and stop on SIGTERM (Ctrl-C's path). */
    private static void awaitConsoleThenStop(String command, Process p, Path log) throws Exception {
        java.util.regex.Matcher open = java.util.regex.Pattern.compile("open: (http://\\S+)").matcher("");
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try {
            while (!open.reset(Files.readString(log)).find()) {
                assertThat(p.isAlive()).as(command + " ended before it served:\n" + Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as(command + " printed no address").isLessThan(until);
                Thread.sleep(200);
            }
            java.net.http.HttpResponse<Void> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(open.group(1))).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).as(command + ": the printed address").isEqualTo(303);
        } finally {
            p.destroy();
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).as(command + " stopped on SIGTERM").isTrue();
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
