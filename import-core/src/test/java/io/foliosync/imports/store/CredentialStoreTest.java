package io.foliosync.imports.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.api.secrets.SecretDecryptionException;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.config.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialStoreTest {
    @TempDir
    Path dir;
    private DatabaseSettings settings;
    private PortfolioStore store;

    static java.util.List<Backend> backends() {
        return TestDatabases.backends();
    }

    void open(Backend backend) {
        settings = TestDatabases.settings(backend, dir);
        store = PortfolioStore.open(settings);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            TestDatabases.drop(settings);
        }
    }

    private String rawColumn(String pluginId) throws Exception {
        String url = settings.jdbcUrl() + (settings.isSqlite() ? "" : "?currentSchema=" + settings.schema().get());
        try (Connection c = settings.isSqlite() ? DriverManager.getConnection(url)
                : DriverManager.getConnection(url, TestDatabases.PG_USER, "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT config_encrypted FROM plugin_configs WHERE plugin_id = '"
                     + pluginId + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void credentialsAreStoredEncryptedAndReadBack(Backend backend) throws Exception {
        open(backend);
        DatabaseCredentialStore creds = store.credentials(SecretCipher.of(MasterKey.generate()));
        creds.save("chase", Map.of("username", "alice", "password", "hunter2"));

        assertThat(creds.load("chase")).contains(Map.of("username", "alice", "password", "hunter2"));
        assertThat(rawColumn("chase")).startsWith("fs1:").doesNotContain("hunter2").doesNotContain("alice");
        assertThat(creds.load("absent")).isEmpty();
        creds.delete("chase");
        assertThat(creds.load("chase")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void wrongMasterKeyFailsWithAClearErrorNeverGarbage(Backend backend) {
        open(backend);
        store.credentials(SecretCipher.of(MasterKey.generate())).save("chase", Map.of("password", "hunter2"));
        DatabaseCredentialStore wrong = store.credentials(SecretCipher.of(MasterKey.generate()));

        assertThatThrownBy(() -> wrong.load("chase")).isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("plugin_configs/chase")
                .hasMessageContaining(MasterKey.ENV)
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void keyRotationReencryptsEveryRowInPlace(Backend backend) throws Exception {
        open(backend);
        SecretCipher oldKey = SecretCipher.of(MasterKey.generate());
        SecretCipher newKey = SecretCipher.of(MasterKey.generate());
        DatabaseCredentialStore creds = store.credentials(oldKey);
        creds.save("chase", Map.of("password", "a"));
        creds.save("wells", Map.of("password", "b"));
        String before = rawColumn("chase");

        DatabaseCredentialStore rotated = creds.rotateKey(newKey);

        assertThat(rawColumn("chase")).isNotEqualTo(before);
        assertThat(rotated.load("chase")).contains(Map.of("password", "a"));
        assertThat(store.credentials(newKey).load("wells")).contains(Map.of("password", "b"));
        assertThatThrownBy(() -> store.credentials(oldKey).load("wells"))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void rotationThatMeetsAnUndecryptableRowChangesNothing(Backend backend) throws Exception {
        open(backend);
        SecretCipher key = SecretCipher.of(MasterKey.generate());
        store.credentials(key).save("chase", Map.of("password", "a"));
        store.credentials(SecretCipher.of(MasterKey.generate())).save("other", Map.of("password", "b"));
        String before = rawColumn("chase");

        assertThatThrownBy(() -> store.credentials(key).rotateKey(SecretCipher.of(MasterKey.generate())))
                .isInstanceOf(SecretDecryptionException.class).hasMessageContaining("plugin_configs/other");
        assertThat(rawColumn("chase")).isEqualTo(before);
    }

    @Test
    void masterKeyFileIsCreatedOwnerOnlyWhenTheEnvironmentHasNone() throws Exception {
        Path keyFile = dir.resolve("keys/master.key");
        MasterKey created = MasterKey.load(Map.of(), keyFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(MasterKey.load(Map.of(), keyFile).id()).isEqualTo(created.id());
    }
}
