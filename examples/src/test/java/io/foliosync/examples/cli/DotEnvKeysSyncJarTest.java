package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's first sync as the README describes it, through the shaded jar as a process: the configuration refers to
 * {@code ${KRAKEN_API_KEY}} and {@code ${KRAKEN_API_SECRET}}, and the keys are only in a {@code .env} file (beside
 * the configuration, or in the working directory), never in the process environment.
 */
class DotEnvKeysSyncJarTest {
    private static final String API_KEY = "key-from-dotenv-7c1f";
    private static final String API_SECRET = Base64.getEncoder().encodeToString("secret-from-dotenv".getBytes());

    @TempDir
    Path dir;

    FakeKraken kraken;

    @BeforeEach
    void start() throws Exception {
        kraken = new FakeKraken("ENV", 4, 2, 50);
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/data_sources.yaml"), """
                global:
                  database_path: data/foliosync.db
                  master_key_file: data/master.key
                crypto_exchanges:
                  kraken:
                    enabled: true
                    api_key: ${KRAKEN_API_KEY}
                    api_secret: ${KRAKEN_API_SECRET}
                    base_url: %s
                """.formatted(kraken.baseUrl()));
    }

    @AfterEach
    void stop() {
        kraken.close();
    }

    @Test
    void syncReadsTheKeysFromTheDotEnvBesideTheConfiguration() throws Exception {
        writeDotEnv(dir.resolve("config/.env"));

        assertSyncUsedTheDotEnvKeys(sync());
    }

    @Test
    void syncReadsTheKeysFromTheDotEnvInTheWorkingDirectory() throws Exception {
        writeDotEnv(dir.resolve(".env"));

        assertSyncUsedTheDotEnvKeys(sync());
    }

    private static void writeDotEnv(Path file) throws Exception {
        Files.writeString(file, """
                # Kraken
                KRAKEN_API_KEY=%s
                KRAKEN_API_SECRET=%s
                """.formatted(API_KEY, API_SECRET));
    }

    private Run sync() throws Exception {
        // the developer's own Kraken variables would win over .env and hide what this test is about
        return ShadedJar.start(dir, env -> env.keySet().removeIf(k -> k.startsWith("KRAKEN_")),
                "sync", "--config", "config/data_sources.yaml").await();
    }

    private void assertSyncUsedTheDotEnvKeys(Run run) throws Exception {
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.imported("kraken")).as(run.output()).isEqualTo(kraken.records());
        assertThat(ShadedJar.count(dir.resolve("data/foliosync.db"), "SELECT COUNT(*) FROM transactions"))
                .isEqualTo(kraken.records());
        assertThat(kraken.apiKeys()).containsExactly(API_KEY);
        assertThat(run.output()).doesNotContain(API_KEY, API_SECRET);
    }
}
