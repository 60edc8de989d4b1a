package io.foliosync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.secrets.EncryptedFiles;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.api.secrets.SecretDecryptionException;
import io.foliosync.examples.cli.ShadedJar.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, case 6, through the shaded jar as a process: a missing master key file is never replaced while the
 * database holds credentials made with it (exit 4, and how to go on); {@code keys rotate} moves every stored
 * credential and the Schwab token file to a new key; {@code keys reset} deletes what a lost key leaves unreadable.
 */
class MasterKeyJarTest {
    private static final String TOKEN_CONTEXT = "schwab/tokens"; // TokenStore.CONTEXT
    @TempDir
    Path dir;
    Path config;
    Path db;
    Path keyFile;
    Path tokens;
    Path statements;

    @BeforeEach
    void configure() throws Exception {
        db = dir.resolve("foliosync.db");
        keyFile = dir.resolve("master.key");
        tokens = dir.resolve("schwab-tokens.enc");
        statements = Files.createDirectories(dir.resolve("statements"));
        Files.writeString(statements.resolve("Chase1234_Activity_20240131.CSV"),
                "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n"
                        + "DEBIT,01/05/2024,GROCERY,-12.00,DEBIT_CARD,188.00,,\n");
        config = dir.resolve("data_sources.yaml");
        Files.writeString(config, """
                global:
                  database_path: %s
                  master_key_file: %s
                schwab:
                  enabled: false
                  token_store: %s
                plugins:
                  directory: %s
                  classpath: false
                  enabled: [chase]
                """.formatted(db, keyFile, tokens, DemoCommand.shippedPlugins()));
        Run configured = run("plugins", "configure", "chase", "--set", "statement_dir=" + statements);
        assertThat(configured.exit()).as(configured.output()).isZero();
    }

    private Run run(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return ShadedJar.start(dir, all).await();
    }

    private String storedCredentials() throws Exception {
        return (String) ShadedJar.query(db, "SELECT config_encrypted FROM plugin_configs").get(0)
                .get("config_encrypted");
    }

    @Test
    void aMissingKeyFileIsNotReplacedWhileTheDatabaseHoldsCredentialsAndResetLetsThemBeEnteredAgain()
            throws Exception {
        String stored = storedCredentials();
        Files.delete(keyFile);

        Run sync = run("sync");
        Run configure = run("plugins", "configure", "chase", "--set", "statement_dir=" + statements);

        for (Run r : List.of(sync, configure)) {
            assertThat(r.exit()).as(r.output()).isEqualTo(Errors.MASTER_KEY);
            assertThat(r.output()).contains("the master key file " + keyFile + " is missing")
                    .contains("1 encrypted credential(s)").contains("Restore the key file")
                    .contains("foliosync keys reset");
        }
        assertThat(keyFile).as("no new key that could not read the stored credentials").doesNotExist();
        assertThat(storedCredentials()).isEqualTo(stored);

        Run unconfirmed = ShadedJar.start(dir, "keys", "reset", "--config", config.toString()).await();
        assertThat(unconfirmed.exit()).as(unconfirmed.output()).isEqualTo(Errors.CONFIGURATION);
        assertThat(storedCredentials()).isEqualTo(stored);

        Run reset = run("keys", "reset", "--yes");
        assertThat(reset.exit()).as(reset.output()).isZero();
        assertThat(reset.output()).contains("deleted 1 unreadable stored credential(s) (chase)")
                .contains("created a new master key file");
        assertThat(keyFile).exists();
        assertThat(ShadedJar.count(db, "SELECT COUNT(*) FROM plugin_configs")).isZero();
        Run again = run("plugins", "configure", "chase", "--set", "statement_dir=" + statements);
        assertThat(again.exit()).as(again.output()).isZero();
        Run synced = run("sync");
        assertThat(synced.exit()).as(synced.output()).isZero();
    }

    @Test
    void rotateReencryptsTheDatabaseAndTheTokenFileUnderANewKeyFile() throws Exception {
        MasterKey old = MasterKey.read(keyFile);
        EncryptedFiles.write(tokens, "{\"refresh_token\":\"r-1\"}", SecretCipher.of(old), TOKEN_CONTEXT);
        String stored = storedCredentials();

        Run rotate = run("keys", "rotate");

        assertThat(rotate.exit()).as(rotate.output()).isZero();
        MasterKey next = MasterKey.read(keyFile);
        assertThat(next.id()).isNotEqualTo(old.id());
        assertThat(rotate.output()).contains("re-encrypted 1 stored credential(s) and 1 encrypted file(s) from master key "
                + old.id() + " to " + next.id());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(MasterKey.pendingFile(keyFile)).doesNotExist();
        assertThat(dir.resolve("schwab-tokens.enc.rekey")).doesNotExist();
        assertThat(storedCredentials()).isNotEqualTo(stored);
        assertThat(SecretCipher.of(next).decrypt(storedCredentials(), "plugin_configs/chase")).contains("statement_dir");
        assertThat(EncryptedFiles.read(tokens, SecretCipher.of(next), TOKEN_CONTEXT)).contains("{\"refresh_token\":\"r-1\"}");
        assertThatThrownBy(() -> EncryptedFiles.read(tokens, SecretCipher.of(old), TOKEN_CONTEXT))
                .isInstanceOf(SecretDecryptionException.class);
        assertThat(rotate.output()).doesNotContain("r-1").doesNotContain(statements.toString());
        Run sync = run("sync");
        assertThat(sync.exit()).as(sync.output()).isZero();
    }

    @Test
    void rotateWithAKeyThatCannotReadTheCredentialsChangesNothing() throws Exception {
        String stored = storedCredentials();
        Files.delete(keyFile);
        MasterKey.generate().writeTo(keyFile);
        String wrong = Files.readString(keyFile);

        Run rotate = run("keys", "rotate");

        assertThat(rotate.exit()).as(rotate.output()).isEqualTo(Errors.MASTER_KEY);
        assertThat(rotate.output()).contains("cannot read the stored credentials of chase").contains("keys reset");
        assertThat(storedCredentials()).isEqualTo(stored);
        assertThat(Files.readString(keyFile)).isEqualTo(wrong);
        assertThat(MasterKey.pendingFile(keyFile)).doesNotExist();
        // the same key in the environment: rotation needs the new key there too
        Run fromEnv = ShadedJar.start(dir, env -> env.put(MasterKey.ENV, wrong.trim()), "keys", "rotate",
                "--config", config.toString()).await();
        assertThat(fromEnv.exit()).as(fromEnv.output()).isEqualTo(Errors.MASTER_KEY);
        assertThat(storedCredentials()).isEqualTo(stored);
    }
}
