package io.foliosync.imports.store;

import io.foliosync.imports.pipeline.Hashing;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Claims a source across processes that share one SQLite file. SQLite has no advisory locks, so each source gets
 * a lock file beside the database ({@code foliosync.db.locks/<source>.lock}) held with an OS file lock: the OS
 * releases it when the holding process ends in any way, including {@code kill -9}, so a crashed sync never
 * leaves the source blocked. Lock files are never deleted: deleting one while another process waits on it would
 * let two processes hold "the" lock on two different files.
 */
final class SourceFileLocks {
    private final Optional<Path> directory;

    /** @param databaseFile the SQLite file; empty (in-memory database) claims nothing beyond the process */
    SourceFileLocks(Optional<Path> databaseFile) {
        this.directory = databaseFile.map(f -> f.toAbsolutePath().resolveSibling(f.getFileName() + ".locks"));
    }

    /** @return whether {@code file} names a file on disk rather than SQLite's in-memory database */
    static boolean isFile(Path file) {
        String name = file.toString();
        return !name.isEmpty() && !name.startsWith(":") && !name.contains("mode=memory");
    }

    /**
     * @param onRelease run when the returned lock is closed (after the file lock is released)
     * @return the lock, or empty when another process holds it
     * @throws StoreException when the lock file cannot be created
     */
    Optional<PortfolioStore.SourceLock> tryLock(String sourceId, Runnable onRelease) {
        if (directory.isEmpty()) {
            return Optional.of(onRelease::run);
        }
        Path file = directory.get().resolve(fileName(sourceId));
        FileChannel channel = null;
        try {
            io.foliosync.connectors.api.secrets.OwnerOnlyFiles.createDirectories(directory.get());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            FileChannel held = channel;
            return Optional.of(() -> {
                try (held) {
                    lock.release();
                } catch (IOException e) {
                    throw new StoreException("cannot release the lock file " + file + ": " + e.getMessage(), e);
                } finally {
                    onRelease.run();
                }
            });
        } catch (OverlappingFileLockException e) {
            // this JVM holds it through another store on the same file
            closeQuietly(channel);
            return Optional.empty();
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot create the lock file " + file + " that keeps two processes from "
                    + "syncing " + sourceId + " at once: " + e.getMessage(), e);
        }
    }

    /** A readable name that stays unique: the id's safe characters plus a hash of the whole id. */
    static String fileName(String sourceId) {
        String safe = sourceId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 64) {
            safe = safe.substring(0, 64);
        }
        String hash = Hashing.sha256(sourceId).substring(0, 12);
        return safe + "-" + hash + ".lock";
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the channel was never locked; nothing to release
            }
        }
    }
}
