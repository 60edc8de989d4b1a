package io.foliosync.imports;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.secrets.EncryptedFiles;
import io.foliosync.connectors.api.secrets.MasterKey;
import io.foliosync.connectors.api.secrets.SecretCipher;
import io.foliosync.connectors.api.secrets.SecretDecryptionException;
import io.foliosync.imports.store.DatabaseCredentialStore;
import io.foliosync.imports.store.JdbcPortfolioStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves every stored secret to a new master key ({@code foliosync keys rotate}), or, when the key they were
 * encrypted with is lost, deletes the ones no key can read any more so they can be entered again
 * ({@code foliosync keys reset}). The stored secrets are the database's credential store (every portfolio's
 * {@code plugin_configs} rows: plugin and connector credentials) and encrypted files such as Schwab's token store.
 *
 * <p>A rotation cannot be one transaction across a database and files, so it is ordered to be completed, never
 * lost: the new key is written first, owner-only, beside the key file ({@link MasterKey#pendingFile}); each file
 * is re-encrypted into {@code <file>.rekey}; the database rows are re-encrypted in one transaction; then the files
 * and last the key are moved into place, each atomically. A rotation interrupted before the transaction committed
 * is started again (the old key still reads everything); one interrupted after it is completed by the next
 * {@code keys rotate}, which finds the database readable by the pending key and moves the rest into place.
 */
@API(status = INTERNAL, since = "0.1")
public final class MasterKeyRotation {
    /** The environment variable naming the new key when the current one comes from {@value MasterKey#ENV}. */
    public static final String NEW_KEY_ENV = "FOLIOSYNC_NEW_MASTER_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyRotation.class);
    private static final String REKEY = ".rekey";

    private MasterKeyRotation() {
    }

    /** A file whose whole content is encrypted ({@link EncryptedFiles}) under {@code context}. */
    public record EncryptedFile(Path file, String context) {
        public EncryptedFile {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(context, "context");
        }

        Path pending() {
            return file.resolveSibling(file.getFileName() + REKEY);
        }
    }

    /**
     * @param fromKey     the id of the key the secrets were under
     * @param toKey       the id of the key they are under now
     * @param rows        the database rows re-encrypted
     * @param files       the files re-encrypted
     * @param completed   whether this completed a rotation an earlier run left half done
     * @param keyFromEnv  whether the keys come from the environment: then the user sets {@value MasterKey#ENV} to
     *                    the new key ({@value #NEW_KEY_ENV}) themselves
     */
    public record Rotated(String fromKey, String toKey, int rows, List<Path> files, boolean completed,
                          boolean keyFromEnv) {
    }

    /**
     * @param deleted      the database rows deleted, as {@link DatabaseCredentialStore#unreadable()} names them
     * @param deletedFiles the files deleted
     * @param keyId        the id of the key in use now
     * @param newKey       whether a new key file was created (the old one was missing)
     */
    public record Reset(List<String> deleted, List<Path> deletedFiles, String keyId, boolean newKey) {
    }

    /**
     * Re-encrypts every stored secret under a new key: a new key file when the key comes from {@code keyFile}, else
     * the key in {@value #NEW_KEY_ENV}.
     *
     * @throws io.foliosync.connectors.api.secrets.MasterKeyMissingException when the key file is missing but the
     *                                                                       database holds secrets
     * @throws SecretDecryptionException when the current key cannot read a stored secret (nothing is changed)
     * @throws ConfigurationException    when the key comes from the environment and {@value #NEW_KEY_ENV} is unset
     */
    public static Rotated rotate(JdbcPortfolioStore store, Map<String, String> env, Path keyFile,
                                 List<EncryptedFile> files) {
        boolean fromEnv = !env.getOrDefault(MasterKey.ENV, "").isBlank();
        Path pending = MasterKey.pendingFile(keyFile);
        try {
            if (!fromEnv && Files.exists(pending)) {
                Optional<Rotated> completed = completeInterrupted(store, env, keyFile, pending, files);
                if (completed.isPresent()) {
                    return completed.get();
                }
            }
            SecretCipher current = SecretCipher.of(MasterKey.load(env, keyFile,
                    () -> DatabaseCredentialStore.storedCount(store)));
            List<String> unreadable = store.credentials(current).unreadable();
            if (!unreadable.isEmpty()) {
                throw new SecretDecryptionException("master key " + current.key().id() + " cannot read the stored "
                        + "credentials of " + String.join(", ", unreadable) + ", so nothing was re-encrypted: "
                        + "set the key they were stored with (key file or " + MasterKey.ENV + ") and rotate again, "
                        + "or, if it is lost, `foliosync keys reset` deletes them so they can be entered again", null);
            }
            MasterKey next;
            if (fromEnv) {
                String given = env.getOrDefault(NEW_KEY_ENV, "");
                if (given.isBlank()) {
                    throw new ConfigurationException("credentials", "the master key comes from " + MasterKey.ENV
                            + ", which FolioSync cannot change: set " + NEW_KEY_ENV + " to the new key (openssl rand "
                            + "-base64 32), rotate, then set " + MasterKey.ENV + " to it");
                }
                next = MasterKey.fromBase64(given, "environment variable " + NEW_KEY_ENV);
            } else {
                next = MasterKey.generate();
                next.writeTo(pending);
            }
            SecretCipher nextCipher = SecretCipher.of(next);
            List<Path> rewritten = new ArrayList<>();
            try {
                for (EncryptedFile f : files) {
                    Optional<String> content = EncryptedFiles.read(f.file(), current, f.context());
                    if (content.isPresent()) {
                        EncryptedFiles.write(fromEnv ? f.file() : f.pending(), content.get(), nextCipher, f.context());
                        rewritten.add(f.file());
                    }
                }
                int rows = (int) DatabaseCredentialStore.storedCount(store);
                store.credentials(current).rotateKey(nextCipher); // one transaction: every row moves, or none
                if (!fromEnv) {
                    movePendingIntoPlace(keyFile, pending, files);
                }
                LOG.info("rotated the master key from {} to {}: {} database rows, {} files", current.key().id(),
                        next.id(), rows, rewritten.size());
                return new Rotated(current.key().id(), next.id(), rows, List.copyOf(rewritten), false, fromEnv);
            } catch (RuntimeException e) {
                if (!fromEnv) {
                    // the transaction did not commit: the old key still reads everything, so drop what was prepared
                    for (EncryptedFile f : files) {
                        Files.deleteIfExists(f.pending());
                    }
                    Files.deleteIfExists(pending);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate the master key " + keyFile, e);
        }
    }

    private static Optional<Rotated> completeInterrupted(JdbcPortfolioStore store, Map<String, String> env,
                                                         Path keyFile, Path pending, List<EncryptedFile> files)
            throws IOException {
        MasterKey next = MasterKey.read(pending);
        SecretCipher nextCipher = SecretCipher.of(next);
        // the database says whether the transaction committed; without rows, a file already moved under the new key
        boolean committed = DatabaseCredentialStore.storedCount(store) > 0
                ? store.credentials(nextCipher).unreadable().isEmpty()
                : files.stream().anyMatch(f -> readableBy(f, nextCipher));
        if (!committed) {
            LOG.info("{} is left from a rotation that did not re-encrypt the database: starting again", pending);
            for (EncryptedFile f : files) {
                Files.deleteIfExists(f.pending());
            }
            Files.delete(pending);
            return Optional.empty();
        }
        String from = Files.exists(keyFile) ? MasterKey.read(keyFile).id() : "(missing)";
        List<Path> moved = files.stream().filter(f -> Files.exists(f.pending())).map(EncryptedFile::file).toList();
        movePendingIntoPlace(keyFile, pending, files);
        LOG.info("completed the interrupted rotation of the master key to {}", next.id());
        return Optional.of(new Rotated(from, next.id(), 0, moved, true, false));
    }

    private static boolean readableBy(EncryptedFile f, SecretCipher cipher) {
        try {
            return EncryptedFiles.read(f.file(), cipher, f.context()).isPresent();
        } catch (SecretDecryptionException | IOException notUnderIt) {
            return false;
        }
    }

    private static void movePendingIntoPlace(Path keyFile, Path pending, List<EncryptedFile> files)
            throws IOException {
        for (EncryptedFile f : files) {
            if (Files.exists(f.pending())) {
                Files.move(f.pending(), f.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(pending, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Deletes every stored secret the current key cannot read (all of them when the key file is missing and the key
     * does not come from the environment; a new key file is made then), so that they can be entered again. Secrets
     * the key reads are kept.
     */
    public static Reset reset(JdbcPortfolioStore store, Map<String, String> env, Path keyFile,
                              List<EncryptedFile> files) {
        boolean fromEnv = !env.getOrDefault(MasterKey.ENV, "").isBlank();
        boolean newKey = !fromEnv && !Files.exists(keyFile);
        // without the key every stored value is unreadable: a key that matches none of them stands in to say so
        SecretCipher cipher = SecretCipher.of(newKey ? MasterKey.generate() : MasterKey.load(env, keyFile));
        List<String> deleted = store.credentials(cipher).deleteUnreadable();
        List<Path> deletedFiles = new ArrayList<>();
        try {
            for (EncryptedFile f : files) {
                try {
                    EncryptedFiles.read(f.file(), cipher, f.context());
                } catch (SecretDecryptionException unreadable) {
                    Files.delete(f.file());
                    deletedFiles.add(f.file());
                }
            }
            if (newKey) {
                cipher.key().writeTo(keyFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the stored credentials", e);
        }
        return new Reset(deleted, List.copyOf(deletedFiles), cipher.key().id(), newKey);
    }
}
