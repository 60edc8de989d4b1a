package io.foliosync.connectors.ibkr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads this module's own test resources. */
final class FlexTestSupport {
    private FlexTestSupport() {
    }

    static Path resource(String name) {
        try {
            var url = FlexTestSupport.class.getResource("/ibkr/" + name);
            if (url == null) {
                throw new IllegalArgumentException("no test resource /ibkr/" + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(resource(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
