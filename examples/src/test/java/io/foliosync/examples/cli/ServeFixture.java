package io.foliosync.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code foliosync serve} over a configuration of its own: Schwab's Trader API pointed at {@link SchwabStandIn}
 * with the console's callback as redirect URI, and an empty plugin folder to install into.
 */
final class ServeFixture implements AutoCloseable {
    final Path dir;
    final Path config;
    final Path plugins;
    final SchwabStandIn schwab;
    final RunningConsole console;

    ServeFixture(Path dir) throws IOException {
        this.dir = dir;
        this.schwab = new SchwabStandIn();
        this.plugins = dir.resolve("plugins");
        Files.createDirectories(plugins);
        int port = RunningConsole.freePort();
        this.config = dir.resolve("data_sources.yaml");
        Files.writeString(config, String.join("\n",
                "# written by ServeFixture",
                "global:",
                "  sync_frequency: manual",
                "  database_path: " + dir.resolve("foliosync.db"),
                "  data_directory: " + dir.resolve("data"),
                "  master_key_file: " + dir.resolve("master.key"),
                "",
                // an exchange account whose server is down: a port that was free a moment ago
                "crypto_exchanges:",
                "  kraken:",
                "    enabled: true",
                "    api_key: console-test-kraken-key",
                "    api_secret: c2VjcmV0LW5ldmVyLXNob3du",
                "    base_url: http://127.0.0.1:" + RunningConsole.freePort(),
                "",
                "schwab:",
                "  enabled: true",
                "  client_id: console-test-client",
                "  client_secret: console-test-secret-never-shown",
                "  base_url: " + schwab.baseUrl(),
                "  redirect_uri: http://127.0.0.1:" + port + "/auth/schwab/callback",
                "",
                "plugins:",
                "  directory: " + plugins + "   # installs go here",
                "  classpath: false",
                "  enabled: []",
                ""));
        this.console = RunningConsole.start(Duration.ofSeconds(60), "serve", "--config", config.toString(), "--port",
                Integer.toString(port));
    }

    /** @return a shipped plugin jar the build copies to target/plugins */
    static Path shippedPlugin(String name) {
        Path p = Path.of("target", "plugins", name);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError(p.toAbsolutePath() + " is missing: the build copies it at process-resources");
        }
        return p;
    }

    @Override
    public void close() throws Exception {
        try {
            console.close();
        } finally {
            schwab.close();
        }
    }
}
