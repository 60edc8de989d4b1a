package io.foliosync.connectors.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSectionTest {
    private final ConfigSection kraken = new ConfigSection("crypto_exchanges.kraken", Map.of(
            "enabled", "true", "api_key", "", "api_secret", "S3CRET", "rate", "twelve",
            "cache_duration", "5m", "symbols", List.of("BTC", "ETH"), "nested", Map.of("token", "T0KEN")));

    @Test
    void requireCollectsEveryProblemAtOnce() {
        ConfigSection.Requirements r = kraken.require();
        r.string("api_key");
        r.secret("passphrase");
        r.attempt(() -> kraken.integer("rate", 1));
        assertThatThrownBy(r::validate)
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "crypto_exchanges.kraken.api_key: missing",
                        "crypto_exchanges.kraken.passphrase: missing (a secret: set it in the environment or .env, "
                                + "referenced as ${VAR})",
                        "crypto_exchanges.kraken.rate: expected a whole number but was 'twelve'"));
    }

    @Test
    void typedGettersReadWhatTheYamlHolds() {
        assertThat(kraken.bool("enabled", false)).isTrue();
        assertThat(kraken.duration("cache_duration")).contains(Duration.ofMinutes(5));
        assertThat(kraken.strings("symbols")).containsExactly("BTC", "ETH");
        assertThat(kraken.section("nested").keyPath("token")).isEqualTo("crypto_exchanges.kraken.nested.token");
        assertThat(kraken.secret("api_secret").orElseThrow().reveal()).isEqualTo("S3CRET");
        assertThat(kraken.has("api_key")).isFalse();
    }

    @Test
    void toStringMasksSecretsAtEveryDepth() {
        assertThat(kraken.toString()).doesNotContain("S3CRET", "T0KEN").contains("symbols=[BTC, ETH]");
    }
}
