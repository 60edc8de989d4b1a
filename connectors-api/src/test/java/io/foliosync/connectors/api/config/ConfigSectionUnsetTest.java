package io.foliosync.connectors.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An unset {@code ${VAR}} is an error only where a provider reads the key as required, and then names the VAR. */
class ConfigSectionUnsetTest {
    private final ConfigSection root = new ConfigSection("crypto_exchanges",
            Map.of("kraken", Map.of("api_key", "", "api_secret", "s")),
            Map.of("crypto_exchanges.kraken.api_key", List.of("KRAKEN_API_KEY")));

    @Test
    void aRequiredKeyWhoseVariableIsUnsetNamesTheVariable() {
        ConfigSection kraken = root.section("kraken");
        ConfigSection.Requirements req = kraken.require();
        req.secret("api_key");
        assertThat(req.problems()).containsExactly("crypto_exchanges.kraken.api_key: missing: ${KRAKEN_API_KEY} "
                + "is not set in the environment or .env");
        assertThat(kraken.unsetVariables("api_key")).containsExactly("KRAKEN_API_KEY");
        assertThat(kraken.unsetVariables("api_secret")).isEmpty();
    }

    @Test
    void aKeyNobodyRequiresIsNoProblem() {
        ConfigSection.Requirements req = root.section("kraken").require();
        req.secret("api_secret");
        assertThat(req.problems()).isEmpty();
    }
}
