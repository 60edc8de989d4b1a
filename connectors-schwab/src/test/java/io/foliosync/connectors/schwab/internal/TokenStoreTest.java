package io.foliosync.connectors.schwab.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
    @TempDir
    Path dir;
    private final SecretCipher cipher = SecretCipher.of(MasterKey.generate());
    private final StoredTokens tokens = new StoredTokens("acc-secret", Instant.parse("2025-03-03T14:30:00Z"),
            "ref-secret", Instant.parse("2025-03-03T14:00:00Z"));

    @Test
    void tokensAreEncryptedOwnerOnlyAndReadBack() throws IOException {
        TokenStore store = new TokenStore(dir.resolve("a/tokens.enc"), cipher);
        assertThat(store.load()).isEmpty();
        store.save(tokens);
        String raw = Files.readString(store.file());
        assertThat(raw).startsWith("fs1:").doesNotContain("acc-secret").doesNotContain("ref-secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(new TokenStore(store.file(), cipher).load()).contains(tokens);
        assertThat(tokens.toString()).doesNotContain("secret");
        try (var files = Files.list(store.file().getParent())) {
            assertThat(files).as("no temporary file left behind").hasSize(1);
        }
    }

    @Test
    void aStoreWrittenUnderAnotherKeySaysReauthorize() {
        TokenStore store = new TokenStore(dir.resolve("tokens.enc"), cipher);
        store.save(tokens);
        TokenStore other = new TokenStore(store.file(), SecretCipher.of(MasterKey.generate()));
        assertThatThrownBy(other::load).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("re-authorize");
    }
}
