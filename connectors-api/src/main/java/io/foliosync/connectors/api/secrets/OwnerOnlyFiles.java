package io.foliosync.connectors.api.secrets;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Files and directories only their owner may read (0600 and 0700 on POSIX file systems): what FolioSync keeps
 * about a user's money (the database and its WAL and shared-memory files, downloaded statements, the data
 * directory) is as private as the master key and the token files. On a file system without POSIX permissions
 * (Windows) the calls create what they create and leave access to the directory's ACL.
 *
 * <p>Java has no umask setter, so each place that creates such a file creates it with these permissions, or
 * tightens it right after a library created it.
 */
@API(status = INTERNAL, since = "0.1")
public final class OwnerOnlyFiles {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().equals(FileSystems.getDefault())
                ? FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                : p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates {@code dir} and any missing parent, each owner-only (0700); a directory that exists already is left
     * as its owner set it (it may be the user's home or a shared folder they chose).
     *
     * @return {@code dir}
     */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute) || !posix(absolute)) {
            return Files.createDirectories(absolute);
        }
        return Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY));
    }

    /**
     * Creates {@code file} empty and owner-only (0600) when it does not exist, else takes group and others' access
     * away from it (a file an earlier version created 0644). A file another process creates at the same moment is
     * tightened like an existing one.
     */
    public static void createOrRestrict(Path file) throws IOException {
        if (!posix(file)) {
            return;
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
                return;
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile by another process: tightened below
            }
        }
        restrict(file);
    }

    /**
     * Takes group and others' access away from {@code file} when it exists (0600, or 0700 for a directory); does
     * nothing when it does not.
     *
     * @return whether permissions were changed
     */
    public static boolean restrict(Path file) throws IOException {
        if (!posix(file) || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Set<PosixFilePermission> target = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY : FILE;
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (target.containsAll(current)) {
            return false;
        }
        try {
            Files.setPosixFilePermissions(file, target);
        } catch (java.nio.file.NoSuchFileException gone) {
            return false; // a -wal or -shm file SQLite removed meanwhile: nothing left to protect
        }
        return true;
    }
}
