package io.foliosync.connectors.api.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        SecretCipher cipher = SecretCipher.of(MasterKey.generate());
        String a = cipher.encrypt("hunter2", "plugin_configs/chase");
        String b = cipher.encrypt("hunter2", "plugin_configs/chase");
        assertThat(a).startsWith("fs1:").doesNotContain("hunter2").isNotEqualTo(b);
        assertThat(cipher.decrypt(a, "plugin_configs/chase")).isEqualTo("hunter2");
    }

    @Test
    void wrongKeyFailsClearlyNeverWithGarbage() {
        String stored = SecretCipher.of(MasterKey.generate()).encrypt("api-secret", "plugin_configs/icbc");
        SecretCipher other = SecretCipher.of(MasterKey.generate());
        assertThatThrownBy(() -> other.decrypt(stored, "plugin_configs/icbc"))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("was encrypted with master key")
                .hasMessageContaining(MasterKey.ENV)
                .hasMessageNotContaining("api-secret");
    }

    @Test
    void tamperingAndSlotSwapsFailTheIntegrityCheck() {
        SecretCipher cipher = SecretCipher.of(MasterKey.generate());
        String stored = cipher.encrypt("token", "schwab/tokens");
        byte[] raw = Base64.getDecoder().decode(stored.substring(4));
        raw[raw.length - 1] ^= 1;
        String tampered = "fs1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> cipher.decrypt(tampered, "schwab/tokens")).hasMessageContaining("integrity check");
        assertThatThrownBy(() -> cipher.decrypt(stored, "plugin_configs/chase")).hasMessageContaining("integrity check");
        assertThatThrownBy(() -> cipher.decrypt("plain text", "x")).hasMessageContaining("not in FolioSync's encrypted format");
    }

    @Test
    void rotationReencryptsUnderTheNewKey() {
        SecretCipher old = SecretCipher.of(MasterKey.generate());
        SecretCipher current = SecretCipher.of(MasterKey.generate());
        String rotated = current.reencrypt(old.encrypt("pw", "ctx"), "ctx", old);
        assertThat(current.decrypt(rotated, "ctx")).isEqualTo("pw");
        assertThatThrownBy(() -> old.decrypt(rotated, "ctx")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndReusedAcrossRestarts() throws Exception {
        Path keyFile = dir.resolve("keys/master.key");
        MasterKey first = MasterKey.load(Map.of(), keyFile);
        MasterKey second = MasterKey.load(Map.of(), keyFile);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }

    @Test
    void environmentKeyWinsAndBadOnesAreRefusedWithoutEchoingThem() {
        MasterKey k = MasterKey.generate();
        String b64 = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(MasterKey.load(Map.of(MasterKey.ENV, b64), dir.resolve("unused.key")).id()).isNotEqualTo(k.id());
        assertThat(dir.resolve("unused.key")).doesNotExist();
        assertThatThrownBy(() -> MasterKey.load(Map.of(MasterKey.ENV, "c2hvcnQta2V5"), dir.resolve("x.key")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("must decode to 32 bytes")
                .hasMessageNotContaining("c2hvcnQta2V5");
    }

    @Test
    void encryptedFilesAreAtomicOwnerOnlyAndReadableAfterRestart() throws Exception {
        MasterKey key = MasterKey.generate();
        Path file = dir.resolve("tokens/schwab.tokens");
        EncryptedFiles.write(file, "{\"refresh_token\":\"rt-123\"}", SecretCipher.of(key), "schwab/tokens");
        assertThat(Files.readString(file)).doesNotContain("rt-123");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(EncryptedFiles.read(file, SecretCipher.of(MasterKey.of(keyBytes(key))), "schwab/tokens"))
                .contains("{\"refresh_token\":\"rt-123\"}");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.toList()).containsExactly(file);
        }
        assertThat(EncryptedFiles.read(dir.resolve("absent"), SecretCipher.of(key), "x")).isEmpty();
    }

    @Test
    void secretsNeverPrintThemselves() {
        assertThat(Secret.of("s3cr3t")).hasToString("Secret[****]");
        assertThat(Secret.of("s3cr3t")).isEqualTo(Secret.of("s3cr3t"));
    }

    private static byte[] keyBytes(MasterKey key) {
        return key.secretKey().getEncoded();
    }
}
