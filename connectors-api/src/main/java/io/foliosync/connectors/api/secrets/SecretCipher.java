package io.foliosync.connectors.api.secrets;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.apiguardian.api.API;

/**
 * Encrypts secrets with AES-256-GCM under a {@link MasterKey}. The text form is
 * {@code fs1:<base64(key id (4 bytes) | nonce (12 bytes) | ciphertext and tag)>}; the key id lets a wrong
 * key fail with a clear message, and the tag makes any tampering fail rather than decrypt to garbage.
 * A {@code context} string (such as {@code plugin_configs/chase}) is bound as associated data, so a value
 * copied into another slot does not decrypt.
 */
@API(status = INTERNAL, since = "0.1")
public final class SecretCipher {
    private static final String PREFIX = "fs1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_ID_BYTES = 4;

    private final MasterKey key;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(MasterKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public static SecretCipher of(MasterKey key) {
        return new SecretCipher(key);
    }

    public MasterKey key() {
        return key;
    }

    /** @return the encrypted text form of {@code plaintext} */
    public String encrypt(String plaintext, String context) {
        return encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context);
    }

    /** @return the encrypted text form of {@code plaintext} */
    public String encrypt(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            ByteBuffer out = ByteBuffer.allocate(KEY_ID_BYTES + NONCE_BYTES + sealed.length);
            out.put(key.idBytes()).put(nonce).put(sealed);
            return PREFIX + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JDK", e);
        }
    }

    /** @throws SecretDecryptionException for a wrong key, a wrong context or a corrupted value */
    public String decrypt(String encrypted, String context) {
        return new String(decryptBytes(encrypted, context), StandardCharsets.UTF_8);
    }

    /** @throws SecretDecryptionException for a wrong key, a wrong context or a corrupted value */
    public byte[] decryptBytes(String encrypted, String context) {
        if (encrypted == null || !encrypted.startsWith(PREFIX)) {
            throw new SecretDecryptionException("stored value for " + context
                    + " is not in FolioSync's encrypted format (fs1:...)", null);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encrypted.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new SecretDecryptionException("stored value for " + context + " is corrupted (not base64)", e);
        }
        if (raw.length < KEY_ID_BYTES + NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretDecryptionException("stored value for " + context + " is corrupted (too short)", null);
        }
        byte[] keyId = Arrays.copyOfRange(raw, 0, KEY_ID_BYTES);
        if (!Arrays.equals(keyId, key.idBytes())) {
            throw new SecretDecryptionException("stored value for " + context + " was encrypted with master key "
                    + HexFormat.of().formatHex(keyId) + " but the current master key is " + key.id()
                    + ": set " + MasterKey.ENV + " (or the key file) to the original key, or re-enter the "
                    + "credentials", null);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(),
                    new GCMParameterSpec(TAG_BITS, raw, KEY_ID_BYTES, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(raw, KEY_ID_BYTES + NONCE_BYTES, raw.length - KEY_ID_BYTES - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SecretDecryptionException("stored value for " + context
                    + " failed its integrity check: it was corrupted, or belongs to another entry", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JDK", e);
        }
    }

    /**
     * Re-encrypts a value encrypted under {@code previous} with this cipher's key, for key rotation.
     *
     * @throws SecretDecryptionException when {@code previous} cannot decrypt it
     */
    public String reencrypt(String encrypted, String context, SecretCipher previous) {
        byte[] plain = previous.decryptBytes(encrypted, context);
        try {
            return encrypt(plain, context);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** @return whether {@code value} is in the encrypted text form */
    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }
}
