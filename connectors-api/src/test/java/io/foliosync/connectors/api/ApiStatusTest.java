package io.foliosync.connectors.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.testing.ApiStatus;
import io.foliosync.connectors.api.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

class ApiStatusTest {
    @Test
    void everyPublicTypeSaysHowStableItIs() {
        assertThat(ApiStatus.problems(Connector.class)).isEmpty();
    }

    @Test
    void aPublicTypeWithoutTheMarkerIsNamed() {
        // the test helpers are public and carry no marker: the check must see them
        assertThat(ApiStatus.problems(SharedFixtures.class))
                .anySatisfy(p -> assertThat(p).startsWith(SharedFixtures.class.getName() + ": public without @API"));
    }
}
