package io.foliosync.connectors.api.secrets;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 256-bit key that encrypts stored credentials and tokens. It comes from the environment variable
 * {@value #ENV} (base64 of 32 bytes) or, when that is unset, from a key file created on first use with
 * owner-only permissions.
 */
@API(status = INTERNAL, since = "0.1")
public final class MasterKey {
    /** The environment variable holding the base64 key. */
    public static final String ENV = "FOLIOSYNC_MASTER_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    private static final int BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] key;
    private final String id;

    private MasterKey(byte[] key) {
        if (key.length != BYTES) {
            throw new IllegalArgumentException("a master key has 32 bytes, not " + key.length);
        }
        this.key = key.clone();
        this.id = fingerprint(key);
    }

    /** @return a key from raw bytes */
    public static MasterKey of(byte[] key) {
        return new MasterKey(key);
    }

    /** @return a new random key */
    public static MasterKey generate() {
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        return new MasterKey(key);
    }

    /**
     * @param base64 the key as base64 text
     * @param origin where it came from, for the error message (never the value)
     */
    public static MasterKey fromBase64(String base64, String origin) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("credentials", origin + ": not valid base64");
        }
        if (bytes.length != BYTES) {
            throw new ConfigurationException("credentials", origin + ": must decode to 32 bytes (AES-256) but "
                    + "decodes to " + bytes.length + "; generate one with: openssl rand -base64 32");
        }
        return new MasterKey(bytes);
    }

    /**
     * For a caller that stores nothing encrypted yet: {@link #load(Map, Path, LongSupplier)} with no stored value.
     *
     * @param environment the process environment ({@code System.getenv()})
     * @param keyFile     the key file used when {@value #ENV} is unset; created when missing
     */
    public static MasterKey load(Map<String, String> environment, Path keyFile) {
        return load(environment, keyFile, () -> 0);
    }

    /**
     * @param environment  the process environment ({@code System.getenv()})
     * @param keyFile      the key file used when {@value #ENV} is unset; created when missing and nothing is stored
     * @param storedValues how many values are stored encrypted (asked only when the key file is missing)
     * @throws MasterKeyMissingException when the key file is missing but values are stored: a new key could not
     *                                   read them
     */
    public static MasterKey load(Map<String, String> environment, Path keyFile, LongSupplier storedValues) {
        String fromEnv = environment.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromBase64(fromEnv, "environment variable " + ENV);
        }
        try {
            if (Files.exists(pendingFile(keyFile))) {
                LOG.warn("{} is left from an interrupted `foliosync keys rotate`: run `foliosync keys rotate` again "
                        + "to complete it", pendingFile(keyFile));
            }
            if (Files.exists(keyFile)) {
                warnIfReadableByOthers(keyFile);
                return fromBase64(Files.readString(keyFile, StandardCharsets.US_ASCII), "key file " + keyFile);
            }
            long stored = storedValues.getAsLong();
            if (stored > 0) {
                throw new MasterKeyMissingException(keyFile, stored);
            }
            MasterKey key = generate();
            key.writeTo(keyFile);
            LOG.info("created a new master key file {} (id {}); back it up: without it stored credentials "
                    + "cannot be decrypted", keyFile, key.id());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + keyFile, e);
        }
    }

    /** Writes this key as base64 to {@code file}, owner-only, atomically; refuses to overwrite. */
    public void writeTo(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        OwnerOnlyFiles.createDirectories(dir);
        Path tmp = EncryptedFiles.createOwnerOnlyTemp(dir, ".foliosync-key");
        try {
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @return where {@code foliosync keys rotate} keeps the new key until every stored value is re-encrypted under it:
     *         {@code <key file>.rekey}
     */
    public static Path pendingFile(Path keyFile) {
        return keyFile.resolveSibling(keyFile.getFileName() + ".rekey");
    }

    /**
     * @return the key in {@code file} (base64, as {@link #writeTo} writes it)
     * @throws IOException when it cannot be read
     */
    public static MasterKey read(Path file) throws IOException {
        return fromBase64(Files.readString(file, StandardCharsets.US_ASCII), "key file " + file);
    }

    /** @return a short public id of this key (not the key), to tell keys apart in messages */
    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return new SecretKeySpec(key, "AES");
    }

    byte[] idBytes() {
        return HexFormat.of().parseHex(id);
    }

    private static void warnIfReadableByOthers(Path keyFile) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
            if (!OWNER_ONLY.containsAll(perms)) {
                LOG.warn("master key file {} is readable by others ({}): chmod 600 it",
                        keyFile, PosixFilePermissions.toString(perms));
            }
        } catch (UnsupportedOperationException notPosix) {
            LOG.debug("cannot check permissions of {} on this file system", keyFile);
        }
    }

    private static String fingerprint(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + id + "]";
    }
}
