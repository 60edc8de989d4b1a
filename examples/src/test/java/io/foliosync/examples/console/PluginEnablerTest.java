package io.foliosync.examples.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enabling a plugin edits the one line (or list) of plugins.enabled and keeps the rest of the file as written. */
class PluginEnablerTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("data_sources.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void addsTheIdToAFlowListKeepingItsComment() throws Exception {
        Path f = yaml("global:\n  sync_frequency: manual\n\nplugins:\n  directory: plugins\n  enabled: [chase]   # banks\n");
        assertThat(new PluginEnabler(f).enable("icbc")).isTrue();
        assertThat(Files.readString(f)).isEqualTo(
                "global:\n  sync_frequency: manual\n\nplugins:\n  directory: plugins\n  enabled: [chase, icbc]   # banks\n");
        assertThat(new PluginEnabler(f).enable("icbc")).as("already enabled").isFalse();
    }

    @Test
    void addsAnItemToABlockList() throws Exception {
        Path f = yaml("plugins:\n  enabled:\n    - chase\n  classpath: false\nschwab:\n  enabled: true\n");
        assertThat(new PluginEnabler(f).enable("template")).isTrue();
        assertThat(Files.readString(f)).isEqualTo(
                "plugins:\n  enabled:\n    - chase\n    - template\n  classpath: false\nschwab:\n  enabled: true\n");
    }

    @Test
    void addsTheKeyOrTheSectionWhenMissing() throws Exception {
        Path f = yaml("plugins:\n  directory: plugins\n");
        new PluginEnabler(f).enable("chase");
        assertThat(Files.readString(f)).isEqualTo("plugins:\n  enabled: [chase]\n  directory: plugins\n");
        Path g = yaml("global:\n  sync_frequency: manual\n");
        new PluginEnabler(g).enable("chase");
        assertThat(Files.readString(g)).endsWith("\nplugins:\n  enabled: [chase]\n");
    }

    @Test
    void neverTouchesAnotherSectionsEnabledKey() throws Exception {
        Path f = yaml("schwab:\n  enabled: true\nplugins:\n  enabled: []\n");
        new PluginEnabler(f).enable("chase");
        assertThat(Files.readString(f)).isEqualTo("schwab:\n  enabled: true\nplugins:\n  enabled: [chase]\n");
    }

    @Test
    void refusesWhatIsNotAPluginId() throws Exception {
        Path f = yaml("plugins:\n  enabled: []\n");
        assertThatThrownBy(() -> new PluginEnabler(f).enable("x]\nevil: [y"))
                .isInstanceOf(PluginEnabler.CannotEditException.class);
        assertThat(Files.readString(f)).isEqualTo("plugins:\n  enabled: []\n");
    }
}
