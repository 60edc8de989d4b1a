package io.foliosync.connectors.api.secrets;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The master key file is missing while the database holds credentials encrypted under the key it held. FolioSync
 * does not make a new key then: credentials entered afterwards would be encrypted under a key that cannot read the
 * others, and the old ones would stay unreadable for good. The message says how to go on: restore the key file, or
 * (the key being lost) delete the unreadable credentials with {@code foliosync keys reset} and enter them again.
 */
@API(status = INTERNAL, since = "0.1")
public final class MasterKeyMissingException extends SecretDecryptionException {
    private static final long serialVersionUID = 1L;
    private final transient Path keyFile;
    private final long storedValues;

    public MasterKeyMissingException(Path keyFile, long storedValues) {
        super("the master key file " + keyFile + " is missing, but the database holds " + storedValues
                + " encrypted credential(s) made with the key it held: FolioSync does not create a new key, which "
                + "could not read them. Restore the key file from your backup (or set " + MasterKey.ENV
                + " to that key); if the key is lost, `foliosync keys reset` deletes the credentials it cannot "
                + "read, after confirmation, so that you can enter them again", null);
        this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
        this.storedValues = storedValues;
    }

    /** @return the key file that is missing */
    public Path keyFile() {
        return keyFile;
    }

    /** @return how many encrypted values the database holds under the missing key */
    public long storedValues() {
        return storedValues;
    }
}
