package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apiguardian.api.API;

/** The SDK's version, as the build stamped it. */
@API(status = STABLE, since = "0.1")
public final class FolioSyncVersion {
    private static final String VERSION = load();

    private FolioSyncVersion() {
    }

    /** @return the version, such as {@code 0.1.0} */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = FolioSyncVersion.class.getResourceAsStream("foliosync-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("foliosync-version.properties is missing from connectors-api");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
