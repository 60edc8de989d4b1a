package io.foliosync.connectors.api.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file's life (issue 23, cases 5 and 6) and the owner-only files beside it. */
class MasterKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void aMissingKeyFileIsCreatedOnlyWhileNothingIsStoredUnderTheKeyItHeld() throws Exception {
        Path keyFile = dir.resolve("keys").resolve("master.key");

        assertThatThrownBy(() -> MasterKey.load(Map.of(), keyFile, () -> 3))
                .isInstanceOfSatisfying(MasterKeyMissingException.class, e -> {
                    assertThat(e.keyFile()).isEqualTo(keyFile);
                    assertThat(e.storedValues()).isEqualTo(3);
                    assertThat(e).isInstanceOf(SecretDecryptionException.class);
                    assertThat(e.getMessage()).contains("3 encrypted credential(s)").contains("keys reset");
                });
        assertThat(keyFile).doesNotExist();

        MasterKey created = MasterKey.load(Map.of(), keyFile, () -> 0);
        assertThat(MasterKey.read(keyFile).id()).isEqualTo(created.id());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())))
                .isEqualTo("rwx------");
        // the key in the environment needs no file, whatever is stored
        String env = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(MasterKey.load(Map.of(MasterKey.ENV, env), dir.resolve("none.key"), () -> 9)).isNotNull();
        assertThat(dir.resolve("none.key")).doesNotExist();
    }

    @Test
    void ownerOnlyFilesAreCreatedSoAndTightenedWhenAnEarlierVersionLeftThemReadable() throws Exception {
        Path file = dir.resolve("a").resolve("db");
        OwnerOnlyFiles.createDirectories(file.getParent());
        OwnerOnlyFiles.createOrRestrict(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");

        Path old = Files.createFile(dir.resolve("old.db"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r--r--")));
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(OwnerOnlyFiles.restrict(old)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old))).isEqualTo("rw-------");
        assertThat(OwnerOnlyFiles.restrict(old)).as("already owner-only").isFalse();
        assertThat(OwnerOnlyFiles.restrict(dir.resolve("gone"))).isFalse();
        // a directory the user made is theirs: left as it is
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxr-xr-x"));
        OwnerOnlyFiles.createDirectories(mine);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mine))).isEqualTo("rwxr-xr-x");
    }
}
