package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.json.Json;
import io.foliosync.connectors.api.secrets.EncryptedFiles;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.api.secrets.SecretDecryptionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Keeps the tokens in one file, encrypted with AES-256-GCM under the master key (context
 * {@value #CONTEXT}), replaced atomically, readable across restarts.
 */
@API(status = INTERNAL, since = "0.1")
public final class TokenStore {
    /** The associated data bound to the encrypted file: a file copied from another slot does not decrypt. */
    public static final String CONTEXT = "schwab/tokens";
    private final Path file;
    private final SecretCipher cipher;

    public TokenStore(Path file, SecretCipher cipher) {
        this.file = Objects.requireNonNull(file, "file");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    public Path file() {
        return file;
    }

    /** @return the stored tokens, or empty when none were stored */
    public Optional<StoredTokens> load() {
        Optional<String> json;
        try {
            json = EncryptedFiles.read(file, cipher, CONTEXT);
        } catch (SecretDecryptionException e) {
            throw new AuthenticationException(SchwabIds.SOURCE, "the token store " + file
                    + " cannot be decrypted (" + e.getMessage() + "); re-authorize to create a new one", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Schwab token store " + file, e);
        }
        if (json.isEmpty()) {
            return Optional.empty();
        }
        try {
            Object tree = Json.readTree(json.get());
            if (!(tree instanceof Map<?, ?> m)) {
                throw new IOException("not a JSON object");
            }
            Object issued = m.get("access_token_issued_at");
            return Optional.of(new StoredTokens(text(m, "access_token"),
                    Instant.parse(text(m, "access_token_expires_at")), text(m, "refresh_token"),
                    Instant.parse(text(m, "authorized_at")),
                    issued instanceof String i ? Optional.of(Instant.parse(i)) : Optional.empty()));
        } catch (IOException | RuntimeException e) {
            throw DataFetchException.malformed(SchwabIds.SOURCE, "token store " + file, null, null,
                    "unreadable token store content; re-authorize to replace it", null);
        }
    }

    /** Replaces the stored tokens atomically. */
    public void save(StoredTokens tokens) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", tokens.accessToken());
        m.put("access_token_expires_at", tokens.accessTokenExpiresAt().toString());
        m.put("refresh_token", tokens.refreshToken());
        m.put("authorized_at", tokens.authorizedAt().toString());
        tokens.accessTokenIssuedAt().ifPresent(i -> m.put("access_token_issued_at", i.toString()));
        try {
            EncryptedFiles.write(file, Json.adapter(Map.class).toJson(m), cipher, CONTEXT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Schwab token store " + file, e);
        }
    }

    /** Removes the stored tokens, for a user who signs out. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the Schwab token store " + file, e);
        }
    }

    private static String text(Map<?, ?> m, String key) throws IOException {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IOException("missing " + key);
        }
        return s;
    }
}
