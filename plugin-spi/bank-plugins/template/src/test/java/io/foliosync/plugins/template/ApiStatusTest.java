package io.foliosync.plugins.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.testing.ApiStatus;
import org.junit.jupiter.api.Test;

/** Every public type of this module says whether it is stable, experimental or internal (docs/api.md). */
class ApiStatusTest {
    @Test
    void everyPublicTypeSaysHowStableItIs() {
        assertThat(ApiStatus.problems(TemplatePlugin.class)).isEmpty();
    }
}
