package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.sink.Sink;
import io.foliosync.connectors.api.sink.SinkProvider;
import io.foliosync.imports.config.DataSourcesConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 28: the {@code sinks:} section, built through the sink providers, checked by {@code config check}. */
class SinksConfigTest {
    @TempDir
    Path dir;

    /** Builds recording sinks; an entry without {@code url} is a configuration problem naming its key. */
    static final class RecorderProvider implements SinkProvider {
        @Override
        public String type() {
            return "recorder";
        }

        @Override
        public Sink create(String id, ConfigSection section, ConnectorContext context) {
            if (section.string("url").isEmpty()) {
                throw new ConfigurationException(id, section.keyPath("url") + ": required");
            }
            SinkDeliveriesTest.RecordingSink sink = new SinkDeliveriesTest.RecordingSink();
            return new Sink() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public io.foliosync.connectors.api.sink.Delivery deliver(
                        io.foliosync.connectors.api.sink.AccountChanges changes,
                        io.foliosync.connectors.api.sink.SinkContext context) {
                    return sink.deliver(changes, context);
                }
            };
        }
    }

    private Path yaml(String sinks) throws IOException {
        Path p = dir.resolve("data_sources.yaml");
        Files.writeString(p, """
                global:
                  database_path: %s
                  data_directory: %s
                  master_key_file: %s
                  sync_frequency: manual
                """.formatted(dir.resolve("fs.db"), dir.resolve("data"), dir.resolve("master.key")) + sinks);
        return p;
    }

    @Test
    void enabledSinksAreBuiltByTheirTypeAndDisabledOnesAreNot() throws IOException {
        Path p = yaml("""
                sinks:
                  mine:
                    type: recorder
                    url: http://127.0.0.1:1
                  off:
                    type: recorder
                    enabled: false
                """);
        // builds with the section (the disabled entry left out: config check below lists what is built)
        FolioSync.builder(p).environment(Map.of()).dotEnv(Optional.empty())
                .sinkProviders(List.of(new RecorderProvider())).build().close();
        ConfigCheck check = FolioSync.builder(p).environment(Map.of()).dotEnv(Optional.empty())
                .sinkProviders(List.of(new RecorderProvider())).check();
        assertThat(check.valid()).isTrue();
        assertThat(check.sinks()).containsExactly("mine");
        assertThat(DataSourcesConfig.load(p, Map.of(), Optional.empty()).warnings()).isEmpty();
    }

    @Test
    void anUnknownTypeAndAnEntryItsProviderRefusesAreNamedByConfigCheck() throws IOException {
        Path p = yaml("""
                sinks:
                  nowhere:
                    type: carrier-pigeon
                  mine:
                    type: recorder
                """);
        ConfigCheck check = FolioSync.builder(p).environment(Map.of()).dotEnv(Optional.empty())
                .sinkProviders(List.of(new RecorderProvider())).check();
        assertThat(check.valid()).isFalse();
        assertThat(check.problems()).containsExactlyInAnyOrder(
                "sinks.nowhere.type: no sink module of type 'carrier-pigeon' on the class path (found: recorder)",
                "sinks.mine.url: required");
        assertThatThrownBy(() -> FolioSync.builder(p).environment(Map.of()).dotEnv(Optional.empty())
                .sinkProviders(List.of(new RecorderProvider())).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("carrier-pigeon");
    }

    @Test
    void theOriginalSeedFileLoadsAsWrittenWithNoSinkAndNoWarningAboutOne() {
        // the original system's file, beside the repository (../shared/seed), as SeedFiles finds it for the CLI
        Path seed = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && seed == null; d = d.getParent()) {
            Path candidate = d.resolve("shared/seed/data_sources.yaml");
            seed = Files.isRegularFile(candidate) ? candidate : null;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(seed != null, "the original system's data_sources.yaml is not "
                + "present beside the repository");
        DataSourcesConfig config = DataSourcesConfig.load(seed, Map.of(), Optional.empty());
        assertThat(config.section(DataSourcesConfig.SINKS).keys()).isEmpty();
        assertThat(config.sourceSections()).doesNotContain(DataSourcesConfig.SINKS);
        assertThat(config.createSinks(null, List.of())).as("no entry, so no provider is asked").isEmpty();
    }
}
