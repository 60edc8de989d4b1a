package io.foliosync.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.secrets.EncryptedFiles;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.MasterKeyMissingException;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.imports.config.DatabaseSettings;
import io.foliosync.imports.internal.FolioSyncInternals;
import io.foliosync.imports.store.JdbcPortfolioStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 23, case 6: the master key is never silently replaced, and a rotation is completed, never half done. */
class MasterKeyRotationTest {
    @TempDir
    Path dir;

    @Test
    void folioSyncRefusesToReplaceAMissingKeyFileWhileCredentialsAreStored() throws Exception {
        Path keyFile = dir.resolve("master.key");
        Path yaml = dir.resolve("data_sources.yaml");
        Files.writeString(yaml, """
                global:
                  database_path: %s
                  master_key_file: %s
                  sync_frequency: manual
                """.formatted(dir.resolve("foliosync.db"), keyFile));
        try (FolioSync fs = FolioSync.builder(yaml).environment(Map.of()).dotEnv(Optional.empty()).build()) {
            FolioSyncInternals.credentials(fs).save("chase", Map.of("statement_dir", "/statements"));
        }
        Files.delete(keyFile);

        assertThatThrownBy(() -> FolioSync.builder(yaml).environment(Map.of()).dotEnv(Optional.empty()).build())
                .isInstanceOfSatisfying(MasterKeyMissingException.class, e -> {
                    assertThat(e.storedValues()).isEqualTo(1);
                    assertThat(e.keyFile()).isEqualTo(keyFile);
                });
        assertThat(keyFile).doesNotExist();
    }

    @Test
    void aRotationInterruptedAfterTheDatabaseCommittedIsCompletedByTheNext() throws Exception {
        Path keyFile = dir.resolve("master.key");
        Path tokens = dir.resolve("tokens.enc");
        MasterKey old = MasterKey.load(Map.of(), keyFile);
        try (JdbcPortfolioStore store = JdbcPortfolioStore.open(DatabaseSettings.sqlite(dir.resolve("f.db")))) {
            store.credentials(SecretCipher.of(old)).save("chase", Map.of("k", "v"));
            EncryptedFiles.write(tokens, "t", SecretCipher.of(old), "schwab/tokens");
            // what a rotation killed between its transaction and its moves leaves: the database under the pending
            // key, the token file's new version beside it, the old key file in place
            MasterKey next = MasterKey.generate();
            next.writeTo(MasterKey.pendingFile(keyFile));
            EncryptedFiles.write(dir.resolve("tokens.enc.rekey"), "t", SecretCipher.of(next), "schwab/tokens");
            store.credentials(SecretCipher.of(old)).rotateKey(SecretCipher.of(next));

            MasterKeyRotation.Rotated r = MasterKeyRotation.rotate(store, Map.of(), keyFile,
                    List.of(new MasterKeyRotation.EncryptedFile(tokens, "schwab/tokens")));

            assertThat(r.completed()).isTrue();
            assertThat(r.toKey()).isEqualTo(next.id());
            assertThat(MasterKey.read(keyFile).id()).isEqualTo(next.id());
            assertThat(MasterKey.pendingFile(keyFile)).doesNotExist();
            assertThat(EncryptedFiles.read(tokens, SecretCipher.of(next), "schwab/tokens")).contains("t");
            assertThat(store.credentials(SecretCipher.of(next)).load("chase")).contains(Map.of("k", "v"));
        }
    }

    @Test
    void aRotationInterruptedBeforeTheDatabaseCommittedStartsAgainFromTheOldKey() throws Exception {
        Path keyFile = dir.resolve("master.key");
        MasterKey old = MasterKey.load(Map.of(), keyFile);
        try (JdbcPortfolioStore store = JdbcPortfolioStore.open(DatabaseSettings.sqlite(dir.resolve("f.db")))) {
            store.credentials(SecretCipher.of(old)).save("chase", Map.of("k", "v"));
            MasterKey abandoned = MasterKey.generate();
            abandoned.writeTo(MasterKey.pendingFile(keyFile));

            MasterKeyRotation.Rotated r = MasterKeyRotation.rotate(store, Map.of(), keyFile, List.of());

            assertThat(r.completed()).isFalse();
            assertThat(r.fromKey()).isEqualTo(old.id());
            MasterKey now = MasterKey.read(keyFile);
            assertThat(now.id()).isNotIn(old.id(), abandoned.id());
            assertThat(store.credentials(SecretCipher.of(now)).load("chase")).contains(Map.of("k", "v"));
        }
    }
}
