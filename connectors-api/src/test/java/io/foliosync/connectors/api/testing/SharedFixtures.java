package io.foliosync.connectors.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the workplace's {@code shared/fixtures} folder (beside the repository) for tests that read
 * fixtures which may not be copied into the project (GPL, LGPL, EPL). Such tests skip when it is absent:
 * {@code assumeTrue(SharedFixtures.file("ibkr-flex/x.xml").isPresent(), "shared fixtures not present")}.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    /** @return the fixtures folder, when it exists next to the repository or any parent of it */
    public static Optional<Path> root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** @return the fixture at {@code relative} (such as {@code kraken/balance.json}), when present */
    public static Optional<Path> file(String relative) {
        return root().map(r -> r.resolve(relative)).filter(Files::isRegularFile);
    }

    /** @return the JSON body of a JKorf-style fixture, whose first three lines are a request header */
    public static String jkorfBody(Path file) {
        try {
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\\R", 4);
            return lines.length == 4 ? lines[3] : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
