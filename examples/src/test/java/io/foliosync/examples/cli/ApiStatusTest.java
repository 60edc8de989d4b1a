package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.connectors.api.testing.ApiStatus;
import org.junit.jupiter.api.Test;

/** Every public type of this module says whether it is stable, experimental or internal (docs/api.md). */
class ApiStatusTest {
    @Test
    void everyPublicTypeSaysHowStableItIs() {
        // the console's templates compile to classes jte generates (Jte<name>Generated): no source of ours to mark
        assertThat(ApiStatus.problems(FolioSyncCli.class, name -> name.matches(".*\\.Jte\\w+Generated(\\$.*)?")))
                .isEmpty();
    }
}
