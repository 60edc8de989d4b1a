package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.config.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Portfolios} through {@code FolioSync.builder()}, on PostgreSQL, against a loopback stand-in broker. */
class PortfoliosTest {
    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private final MockWebServer broker = new MockWebServer();
    private DatabaseSettings db;
    private FolioSync fs;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabases.settings(Backend.POSTGRES, dir);
        broker.setServerSocketFactory(new NoDelayServerSockets());
        broker.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String account = request.getUrl().encodedPath().split("/")[2];
                if (!("key-" + account).equals(request.getHeaders().get("X-Api-Key"))) {
                    return new MockResponse(401, Headers.of(), "");
                }
                return new MockResponse(200, Headers.of(), account + "-1;1700000000;100.00\n");
            }
        });
        broker.start();
        fs = FolioSync.builder().database(db).environment(Map.of(MasterKey.ENV, MASTER_KEY))
                .dotEnv(Optional.empty()).baseDirectory(dir).providers(List.of(new LoopbackAccountsProvider())).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (fs != null) {
            fs.close();
        }
        broker.close();
        if (db != null) {
            TestDatabases.drop(db);
        }
    }

    private int executeUpdate(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabases.PG_USER, "")) {
            c.setSchema(db.schema().orElseThrow());
            try (Statement st = c.createStatement()) {
                return st.executeUpdate(sql);
            }
        }
    }

    private List<String> scheduledInstances() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabases.PG_USER, "")) {
            c.setSchema(db.schema().orElseThrow());
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT task_instance FROM scheduled_tasks")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private PortfolioSource account(String sourceId, String account, String key) {
        return PortfolioSource.of(LoopbackAccountsProvider.SECTION, sourceId,
                Map.of("base_url", "http://127.0.0.1:" + broker.getPort(), "account", account),
                Map.of("api_key", key), Duration.ofHours(1));
    }

    @Test
    void portfoliosWithTheSameSourceIdsKeepTheirJobsCursorsAndRowsApart() {
        Portfolios portfolios = fs.portfolios();
        portfolios.register("alice", "Alice");
        portfolios.register("bob", "Bob");
        portfolios.addSource("alice", account("broker", "A-1", "key-A-1"));
        portfolios.addSource("bob", account("broker", "B-1", "key-B-1"));

        assertThat(portfolios.sync("alice").allSucceeded()).isTrue();
        assertThat(portfolios.sync("bob", "broker").status()).isEqualTo(JobStatus.SUCCEEDED);

        assertThat(portfolios.store("alice").transactions(Optional.empty())).singleElement()
                .satisfies(t -> assertThat(t.transaction().accountId()).isEqualTo("A-1"));
        assertThat(portfolios.store("bob").transactions(Optional.empty())).singleElement()
                .satisfies(t -> assertThat(t.transaction().accountId()).isEqualTo("B-1"));
        assertThat(portfolios.store("alice").jobs(Optional.of("broker"), 10)).hasSize(1);
        assertThat(portfolios.store("alice").cursor("broker")).isPresent();
        // the configuration file's portfolio sees none of it
        assertThat(fs.store().transactions(Optional.empty())).isEmpty();
        assertThat(fs.store().jobs(Optional.empty(), 10)).isEmpty();
    }

    @Test
    void twoPortfoliosReadingTheSameAccountEachStoreTheirOwnRecords() {
        // two users of the application with a joint account: the same source, account and record ids
        Portfolios portfolios = fs.portfolios();
        portfolios.register("alice", "Alice");
        portfolios.register("bob", "Bob");
        portfolios.addSource("alice", account("broker", "J-1", "key-J-1"));
        portfolios.addSource("bob", account("broker", "J-1", "key-J-1"));

        JobResult alice = portfolios.sync("alice", "broker");
        JobResult bob = portfolios.sync("bob", "broker");

        assertThat(alice.counts().imported()).isEqualTo(1);
        assertThat(bob.counts().imported()).as("bob's page is looked up in bob's rows only").isEqualTo(1);
        assertThat(portfolios.store("bob").transactions(Optional.empty())).singleElement()
                .satisfies(t -> assertThat(t.recordId()).isEqualTo("J-1-1"));
        assertThat(portfolios.sync("bob", "broker").counts().skipped()).isEqualTo(1);
    }

    @Test
    void credentialsAreStoredEncryptedAndNeverShown() throws Exception {
        Portfolios portfolios = fs.portfolios();
        portfolios.register("alice", "Alice");
        PortfolioSource source = account("broker", "A-1", "key-A-1");
        portfolios.addSource("alice", source);

        assertThat(source.toString()).doesNotContain("key-A-1").contains("api_key");
        assertThat(portfolios.sources("alice")).singleElement()
                .satisfies(s -> assertThat(s.settings()).doesNotContainKey("api_key"));
        List<String> stored = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabases.PG_USER, "")) {
            c.setSchema(db.schema().orElseThrow());
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT p.config_encrypted || ' ' || s.settings FROM plugin_configs p "
                         + "JOIN portfolio_sources s ON s.portfolio_id = p.portfolio_id WHERE p.portfolio_id = 'alice'")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        assertThat(stored).singleElement().asString().doesNotContain("key-A-1").contains("A-1");
        // the stored key is the one the broker accepts: it decrypts back for the sync
        assertThat(portfolios.sync("alice", "broker").status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aClusterInstanceSchedulesARegisteredSourceThatLostItsSchedule() throws Exception {
        Portfolios portfolios = fs.portfolios();
        portfolios.register("alice", "Alice");
        portfolios.addSource("alice", account("broker", "A-1", "key-A-1"));
        portfolios.addSource("alice", account("savings", "A-2", "key-A-2"));
        // an instance killed between registering a source and scheduling it leaves the source without a schedule
        assertThat(executeUpdate("DELETE FROM scheduled_tasks WHERE task_instance = 'alice/savings'")).isEqualTo(1);

        try (ClusteredSync cluster = fs.cluster(ClusterSettings.defaults("node-a"))) {
            cluster.start();
            assertThat(scheduledInstances()).containsExactlyInAnyOrder("alice/broker", "alice/savings");
        }
        assertThat(portfolios.scheduleMissing()).isZero();
    }

    @Test
    void aSourceMissingACredentialIsRejectedWhenAddedAndNothingIsStored() {
        Portfolios portfolios = fs.portfolios();
        portfolios.register("alice", "Alice");
        PortfolioSource noKey = PortfolioSource.of(LoopbackAccountsProvider.SECTION, "broker",
                Map.of("base_url", "http://127.0.0.1:1", "account", "A-1"), Map.of(), Duration.ofHours(1));

        assertThatThrownBy(() -> portfolios.addSource("alice", noKey)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("api_key");
        assertThat(portfolios.sources("alice")).isEmpty();
        assertThat(portfolios.store("alice").credentials(fsCipher()).owners()).isEmpty();
    }

    @Test
    void removingAPortfolioDeletesItsRowsAndLeavesTheOthers() {
        Portfolios portfolios = fs.portfolios();
        portfolios.register("alice", "Alice");
        portfolios.register("bob", "Bob");
        portfolios.addSource("alice", account("broker", "A-1", "key-A-1"));
        portfolios.addSource("bob", account("broker", "B-1", "key-B-1"));
        portfolios.sync("alice");
        portfolios.sync("bob");

        assertThat(portfolios.remove("alice")).isTrue();

        assertThat(portfolios.list()).containsExactly("bob");
        assertThat(portfolios.store("alice").transactions(Optional.empty())).isEmpty();
        assertThat(portfolios.store("alice").jobs(Optional.empty(), 10)).isEmpty();
        assertThat(portfolios.store("bob").transactions(Optional.empty())).hasSize(1);
        assertThat(portfolios.remove("alice")).isFalse();
    }

    @Test
    void theDefaultPortfolioBelongsToTheConfigurationFile() {
        assertThatThrownBy(() -> fs.portfolios().register("default", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configuration file");
        assertThatThrownBy(() -> fs.portfolios().register("Not Valid", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("portfolio id 'Not Valid'");
    }

    @Test
    void anSqliteDatabaseServesTheDefaultPortfolioOnly() {
        try (FolioSync embedded = FolioSync.builder().database(DatabaseSettings.sqlite(dir.resolve("one.db")))
                .environment(Map.of(MasterKey.ENV, MASTER_KEY)).dotEnv(Optional.empty()).baseDirectory(dir)
                .providers(List.of()).build()) {
            assertThatThrownBy(embedded::portfolios).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("PostgreSQL");
            assertThatThrownBy(() -> embedded.store().forPortfolio("alice"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    private io.foliosync.connectors.api.secrets.SecretCipher fsCipher() {
        return io.foliosync.connectors.api.secrets.SecretCipher.of(MasterKey.fromBase64(MASTER_KEY, "test"));
    }
}
