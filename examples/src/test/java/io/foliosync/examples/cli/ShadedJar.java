package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code foliosync.jar} as its own process, as a user runs it. The jar is made in the package phase, after
 * the unit tests, so the {@code *JarTest} classes run in the integration-test phase, which names the jar in the
 * {@code foliosync.jar} system property; run anywhere else, they are skipped rather than testing a stale jar.
 */
final class ShadedJar {
    /** generous: a cold JVM on a loaded 2-core machine; a run that takes longer is a hang, not slowness */
    static final long PROCESS_TIMEOUT_SECONDS = 180;

    private ShadedJar() {
    }

    static Path jar() {
        String property = System.getProperty("foliosync.jar");
        assumeTrue(property != null, "runs against the shaded jar in the integration-test phase (mvn verify)");
        Path jar = Path.of(property);
        assertThat(jar).as("the shaded jar, made by the package phase").exists();
        return jar;
    }

    record Run(int exit, String output) {
        /** @return the summary table's line for {@code sourceId} */
        String line(String sourceId) {
            return output.lines().filter(l -> l.startsWith(sourceId + " ")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no summary line for " + sourceId + " in:\n" + output));
        }

        /** @return the imported count of {@code sourceId}'s summary line */
        long imported(String sourceId) {
            return Long.parseLong(line(sourceId).split("\\s+")[1]);
        }
    }

    /** A started process, its output (stdout and stderr together) going to a file. */
    record Started(Process process, Path log) {
        Run await() throws IOException, InterruptedException {
            if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("foliosync did not finish in " + PROCESS_TIMEOUT_SECONDS + " s:\n"
                        + Files.readString(log));
            }
            return new Run(process.exitValue(), Files.readString(log));
        }
    }

    static Started start(Path workDir, String... args) throws IOException {
        return start(workDir, env -> { }, args);
    }

    /** @param environment adjusts the process environment, after the FOLIOSYNC variables were removed */
    static Started start(Path workDir, java.util.function.Consumer<Map<String, String>> environment, String... args)
            throws IOException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        argv.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "foliosync", ".log");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the configuration alone decides: no master key or secret from the developer's environment
        pb.environment().keySet().removeIf(k -> k.startsWith("FOLIOSYNC"));
        environment.accept(pb.environment());
        return new Started(pb.start(), log);
    }

    static Run sync(Path config) throws IOException, InterruptedException {
        return start(config.getParent(), "sync", "--config", config.toString()).await();
    }

    /** One Kraken account of a test configuration. */
    record Account(String id, String apiKey, String apiSecret, FakeKraken server) {
    }

    /** Writes a configuration of Kraken accounts only. */
    static Path config(Path dir, String name, Path database, Account... accounts) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                global:
                  database_path: %s
                  master_key_file: %s
                crypto_exchanges:
                """.formatted(database, dir.resolve("master.key")));
        for (Account a : accounts) {
            yaml.append("""
                      %s:
                        exchange: kraken
                        enabled: true
                        api_key: %s
                        api_secret: %s
                        base_url: %s
                    """.formatted(a.id(), a.apiKey(), a.apiSecret(), a.server().baseUrl()));
        }
        Path config = dir.resolve(name);
        Files.writeString(config, yaml);
        return config;
    }

    static List<Map<String, Object>> query(Path database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    static long count(Path database, String sql) throws SQLException {
        return ((Number) query(database, sql).get(0).values().iterator().next()).longValue();
    }

    /** @return the stored transactions' identity and figures, one line per row, in a stable order */
    static List<String> transactionRows(Path database) throws SQLException {
        return query(database, "SELECT source_name, source_id, account_id, amount, quantity, date FROM transactions"
                + " ORDER BY source_name, account_id, source_id").stream()
                .map(r -> r.values().stream().map(String::valueOf).collect(Collectors.joining(" | "))).toList();
    }

    /** @return the source ids of the transactions stored for {@code account} (the account id ends with it) */
    static List<String> sourceIds(Path database, String accountId) throws SQLException {
        return query(database, "SELECT source_id FROM transactions WHERE account_id = '" + accountId + "'"
                + " ORDER BY source_id").stream().map(r -> (String) r.get("source_id")).toList();
    }
}
