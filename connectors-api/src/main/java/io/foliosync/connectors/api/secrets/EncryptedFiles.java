package io.foliosync.connectors.api.secrets;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Files whose whole content is a secret (OAuth tokens): written encrypted, owner-only and atomically (a
 * crash leaves the old file or the new one, never half of one), read back across restarts.
 */
@API(status = INTERNAL, since = "0.1")
public final class EncryptedFiles {
    private EncryptedFiles() {
    }

    /** Encrypts {@code content} and replaces {@code file} with it atomically. */
    public static void write(Path file, String content, SecretCipher cipher, String context) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        OwnerOnlyFiles.createDirectories(dir);
        Path tmp = createOwnerOnlyTemp(dir, "." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, cipher.encrypt(content, context), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @return the decrypted content, or empty when the file does not exist
     * @throws SecretDecryptionException when the file was encrypted with another key or is corrupted
     */
    public static Optional<String> read(Path file, SecretCipher cipher, String context) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(cipher.decrypt(Files.readString(file, StandardCharsets.US_ASCII).trim(), context));
    }

    static Path createOwnerOnlyTemp(Path dir, String prefix) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }
}
