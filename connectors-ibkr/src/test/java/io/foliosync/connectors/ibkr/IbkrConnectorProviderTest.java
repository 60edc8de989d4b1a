package io.foliosync.connectors.ibkr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.Connector;
import io.foliosync.connectors.api.config.ConfigSection;
import io.foliosync.connectors.api.config.ConnectorContext;
import io.foliosync.connectors.api.config.ConnectorProvider;
import io.foliosync.connectors.api.http.RateLimiterRegistry;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IbkrConnectorProviderTest {
    @TempDir
    Path data;

    private ConnectorContext context() {
        return new ConnectorContext(Clock.systemUTC(), data, SecretCipher.of(MasterKey.generate()),
                RateLimiterRegistry.isolated());
    }

    @Test
    void providerIsRegisteredForTheInteractiveBrokersSection() {
        assertThat(ServiceLoader.load(ConnectorProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.configSection().equals("interactive_brokers"))).hasSize(1);
    }

    @Test
    void enabledSectionBuildsTheConnector() {
        ConfigSection section = new ConfigSection("interactive_brokers", Map.of(
                "enabled", true,
                "base_url", "https://localhost:5000/v1/api",
                "auth_type", "gateway",
                "accounts", List.of("U7654321"),
                "transaction_lookback_days", 5,
                "tls", Map.of("trust_on_first_use", true, "expiry_warning_days", 14),
                "flex", Map.of("token", "123", "query_ids", List.of("987654"), "max_poll_attempts", 4,
                        "statement_reuse", "10m")));
        List<Connector> connectors = new IbkrConnectorProvider().create(section, context());
        try {
            assertThat(connectors).extracting(Connector::sourceId).containsExactly("ibkr-flex-987654", "ibkr-U7654321");
            assertThat(connectors).allSatisfy(c -> assertThat(c.metadata().name()).isEqualTo("ibkr"));
        } finally {
            connectors.forEach(Connector::close);
        }
    }

    private List<Connector> create(Map<String, Object> values) {
        return new IbkrConnectorProvider().create(new ConfigSection("interactive_brokers", values), context());
    }

    @Test
    void eachFlexQueryAndEachConfiguredAccountIsItsOwnSource() {
        List<Connector> connectors = create(Map.of(
                "enabled", true,
                "accounts", List.of("U1", "U2"),
                "flex", Map.of("token", "123", "query_ids", List.of("Q1", "Q2"))));
        try {
            assertThat(connectors).extracting(Connector::sourceId)
                    .containsExactly("ibkr-flex-Q1", "ibkr-flex-Q2", "ibkr-U1", "ibkr-U2")
                    .doesNotHaveDuplicates();
            assertThat(connectors).allSatisfy(c -> assertThat(c.metadata().name()).isEqualTo("ibkr"));
        } finally {
            connectors.forEach(Connector::close);
        }
    }

    @Test
    void withoutAccountsTheGatewayIsOneSourceNamedIbkrAndFilesAreOneSource() {
        List<Connector> connectors = create(Map.of(
                "enabled", true,
                "flex", Map.of("files", List.of(FlexTestSupport.resource("flex/activity-single-account.xml")
                        .toString()))));
        try {
            assertThat(connectors).extracting(Connector::sourceId).containsExactly("ibkr-flex-files", "ibkr");
        } finally {
            connectors.forEach(Connector::close);
        }
    }

    @Test
    void aSecretIsNeededOnlyWhereItIsUsed() {
        // files alone need no Flex token; a gateway session needs no bearer token
        List<Connector> connectors = create(Map.of(
                "enabled", true,
                "auth_type", "gateway",
                "flex", Map.of("files", List.of(FlexTestSupport.resource("flex/activity-single-account.xml")
                        .toString()))));
        connectors.forEach(Connector::close);
        assertThatThrownBy(() -> create(Map.of("enabled", true, "auth_type", "jwt")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("bearer_token");
        // jwt_token is read under auth_type jwt
        create(Map.of("enabled", true, "auth_type", "jwt", "jwt_token", "abc")).forEach(Connector::close);
    }

    @Test
    void sourceIdsThatWouldCollideOrAccountIdsThatAreNotIdsAreReported() {
        assertThatThrownBy(() -> create(Map.of(
                "enabled", true,
                "accounts", List.of("U1 ; rm"),
                "flex", Map.of("token", "1", "query_ids", List.of("files"),
                        "files", List.of(FlexTestSupport.resource("flex/activity-single-account.xml").toString())))))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .anyMatch(p -> p.contains("interactive_brokers.accounts") && p.contains("U1 ; rm"))
                        .anyMatch(p -> p.contains("ibkr-flex-files")));
    }

    @Test
    void disabledOrAbsentSectionBuildsNothing() {
        assertThat(new IbkrConnectorProvider().create(ConfigSection.empty("interactive_brokers"), context())).isEmpty();
        assertThat(new IbkrConnectorProvider().create(new ConfigSection("interactive_brokers",
                Map.of("enabled", false)), context())).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigSection section = new ConfigSection("interactive_brokers", Map.of(
                "enabled", true,
                "auth_type", "jwt",
                "transaction_lookback_days", 30,
                "tls", Map.of("sha256_fingerprint", "abc", "expiry_warning_days", -1),
                "flex", Map.of("query_ids", List.of("1"), "statement_reuse", "-5m")));
        assertThatThrownBy(() -> new IbkrConnectorProvider().create(section, context()))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).anyMatch(p ->
                        p.contains("bearer_token")).anyMatch(p -> p.contains("transaction_lookback_days"))
                        .anyMatch(p -> p.contains("flex.token"))
                        .anyMatch(p -> p.contains("tls.expiry_warning_days"))
                        .anyMatch(p -> p.contains("flex.statement_reuse")));
    }

    @Test
    void theOriginalSystemsAccountMapsAreReadWithSyncFrequencyAndLookback() {
        Map<String, Object> values = Map.of(
                "enabled", true,
                "auth_type", "gateway",
                "base_url", "https://localhost:5000/v1/api",
                "jwt_token", "", // the seed keeps it for auth_type jwt; unused under gateway
                "accounts", List.of(
                        Map.of("account_id", "U1", "sync", true, "sync_frequency", "hourly",
                                "transaction_lookback_days", 90),
                        Map.of("account_id", "U2", "sync", false)));
        List<Connector> connectors = create(values);
        try {
            assertThat(connectors).extracting(Connector::sourceId).as("sync: false leaves U2 out")
                    .containsExactly("ibkr-U1");
        } finally {
            connectors.forEach(Connector::close);
        }
        ConfigSection section = new ConfigSection("interactive_brokers", values);
        IbkrConnectorProvider provider = new IbkrConnectorProvider();
        assertThat(provider.syncFrequency(section, "ibkr-U1")).contains("hourly");
        assertThat(provider.syncFrequency(section, "ibkr-U2")).isEmpty();
    }

    @Test
    void anAccountEntryWithoutItsIdOrOfTheWrongTypeIsNamed() {
        assertThatThrownBy(() -> create(Map.of("enabled", true,
                "accounts", List.of(Map.of("account_id", "", "sync", true)))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("interactive_brokers.accounts[0].account_id: missing");
        assertThatThrownBy(() -> create(Map.of("enabled", true, "accounts", true)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("interactive_brokers.accounts: expected a list");
    }
}
