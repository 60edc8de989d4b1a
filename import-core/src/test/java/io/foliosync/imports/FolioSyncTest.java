package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.imports.config.SyncFrequency;
import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.imports.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FolioSync built from a YAML file whose sources come from {@link FakeSourcesProvider}, found by ServiceLoader. */
class FolioSyncTest {
    @TempDir
    Path dir;

    @BeforeEach
    void forgetCreated() {
        FakeSourcesProvider.CREATED.clear();
    }

    private Path yaml(String sources) throws IOException {
        Path p = dir.resolve("data_sources.yaml");
        Files.writeString(p, """
                global:
                  database_path: %s
                  data_directory: %s
                  master_key_file: %s
                  sync_frequency: manual
                  known_currencies: [ZZC]
                """.formatted(dir.resolve("db/foliosync.db"), dir.resolve("data"), dir.resolve("keys/master.key"))
                + sources);
        return p;
    }

    @Test
    void oneCallSyncsEveryConfiguredSourceAndCloseClosesConnectorsAndDatabase() throws IOException {
        Path p = yaml("""
                fake_sources:
                  alpha:
                    api_key: literal-key
                    transactions: 5
                  beta:
                    api_key: other
                  gamma:
                    enabled: false
                """);

        SyncReport report;
        FolioSync kept;
        try (FolioSync fs = FolioSync.fromConfig(p)) {
            kept = fs;
            report = fs.syncAll();
            assertThat(fs.sourceIds()).containsExactly("alpha", "beta");
            assertThat(fs.store().countTransactions(Optional.of("alpha"))).isEqualTo(5);
            assertThat(fs.store().countTransactions(Optional.of("beta"))).isEqualTo(3);
            // incremental: only the record at the cursor (inclusive) comes again, and is a duplicate
            assertThat(fs.sync("alpha").counts()).isEqualTo(new ImportCounts(0, 0, 1, 0));
        }

        assertThat(report.allSucceeded()).isTrue();
        assertThat(report.totals().imported()).isEqualTo(8);
        assertThat(FakeSourcesProvider.CREATED).hasSize(2).allMatch(c -> c.disconnected);
        assertThat(Files.exists(dir.resolve("keys/master.key"))).isTrue();
        assertThat(FakeSourcesProvider.lastContext.dataDirectory()).isEqualTo(dir.resolve("data"));
        assertThatThrownBy(() -> kept.store().countTransactions(Optional.empty())).isInstanceOf(StoreException.class);
        kept.close(); // idempotent
    }

    @Test
    void aConfigurationAlreadyLoadedIsNotReadAgain() throws IOException {
        Path p = yaml("""
                fake_sources:
                  alpha:
                    api_key: literal-key
                    transactions: 2
                """);
        io.foliosync.imports.config.DataSourcesConfig loaded = io.foliosync.imports.config.DataSourcesConfig.load(p,
                Map.of(), Optional.empty());
        // An edit between the two reads would give one run two configurations: the builder keeps the first.
        Files.writeString(p, "fake_sources: [this is not what was loaded\n");

        try (FolioSync fs = FolioSync.builder(p).environment(Map.of()).dotEnv(Optional.empty()).loaded(loaded)
                .build()) {
            assertThat(fs.sourceIds()).containsExactly("alpha");
            assertThat(fs.sync("alpha").counts().imported()).isEqualTo(2);
        }
        assertThatThrownBy(() -> FolioSync.builder(dir.resolve("other.yaml")).loaded(loaded))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data_sources.yaml");
    }

    @Test
    void overloadTakesEnvironmentDotEnvClockExtraSourcesAndListener() throws IOException {
        Path env = dir.resolve("test.env");
        Files.writeString(env, "ALPHA_KEY=from-dotenv\n");
        Path p = yaml("""
                fake_sources:
                  alpha:
                    api_key: ${ALPHA_KEY}
                """);
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        String key = Base64.getEncoder().encodeToString(raw);
        Clock clock = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);
        FakeConnector extra = new FakeConnector("extra");
        extra.transactions = List.of(Tx.buy("extra", "E1", 1).build());
        List<String> finished = new ArrayList<>();

        try (FolioSync fs = FolioSync.builder(p)
                .environment(Map.of(MasterKey.ENV, key))
                .dotEnv(Optional.of(env))
                .clock(clock)
                .addConnector(extra)
                .listener(new ImportListener() {
                    @Override
                    public void jobFinished(JobResult result) {
                        finished.add(result.sourceId() + " " + result.status());
                    }
                })
                .build()) {
            assertThat(fs.sourceIds()).containsExactly("alpha", "extra");
            SyncReport report = fs.syncAll();

            assertThat(report.allSucceeded()).isTrue();
            assertThat(report.result("extra").orElseThrow().startedAt()).isEqualTo(clock.instant());
            assertThat(finished).containsExactlyInAnyOrder("alpha SUCCEEDED", "extra SUCCEEDED");
            assertThat(fs.scheduler().frequencies()).containsEntry("alpha", SyncFrequency.MANUAL);
            // the key came from the environment: no key file was created
            assertThat(Files.exists(dir.resolve("keys/master.key"))).isFalse();
            FolioSyncInternals.credentials(fs).save("some-bank", Map.of("user", "u"));
            assertThat(FolioSyncInternals.credentials(fs).load("some-bank")).contains(Map.of("user", "u"));
        }
        assertThat(extra.disconnected).isTrue();
    }

    @Test
    void missingSecretFailsNamingTheKeyPathAndLeavesNothingOpen() throws IOException {
        Path p = yaml("""
                fake_sources:
                  alpha:
                    api_key: literal
                  beta:
                    enabled: true
                    api_key: ${BETA_KEY}
                """);

        assertThatThrownBy(() -> FolioSync.fromConfig(p, Map.of(), Optional.empty()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("fake_sources.beta.api_key: missing"));
    }

    @Test
    void failureAfterConnectorsWereBuiltClosesThem() throws IOException {
        Path p = yaml("""
                fake_sources:
                  alpha:
                    api_key: literal
                """);
        FakeConnector clash = new FakeConnector("alpha");

        assertThatThrownBy(() -> FolioSync.builder(p).environment(Map.of()).dotEnv(Optional.empty())
                .addConnector(clash).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
        assertThat(FakeSourcesProvider.CREATED).singleElement().satisfies(c -> assertThat(c.disconnected).isTrue());
        assertThat(clash.disconnected).isTrue();
    }

    @Test
    void relativeGlobalPathsResolveAgainstTheBaseDirectory() throws IOException {
        Path p = dir.resolve("data_sources.yaml");
        Files.writeString(p, """
                global:
                  database_path: db/rel.db
                  master_key_file: keys/rel.key
                fake_sources:
                  alpha:
                    api_key: k
                """);

        try (FolioSync fs = FolioSync.builder(p).environment(Map.of()).dotEnv(Optional.empty()).baseDirectory(dir)
                .build()) {
            assertThat(fs.sync("alpha").succeeded()).isTrue();
        }
        assertThat(dir.resolve("db/rel.db")).exists();
        assertThat(dir.resolve("keys/rel.key")).exists();
    }
}
