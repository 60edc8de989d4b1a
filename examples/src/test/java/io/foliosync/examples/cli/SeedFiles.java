package io.foliosync.examples.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The original system's {@code data_sources.yaml} and {@code .env.example}, kept unmodified in the workplace's
 * {@code shared/seed} folder beside the repository (found the way {@code SharedFixtures} finds
 * {@code shared/fixtures}). Tests that need them skip when the folder is absent.
 */
final class SeedFiles {
    private SeedFiles() {
    }

    static Optional<Path> root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve("seed");
            if (Files.isRegularFile(candidate.resolve("data_sources.yaml"))) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** @return the seed folder, or skips the test saying why */
    static Path require() {
        Optional<Path> root = root();
        assumeTrue(root.isPresent() && Files.isRegularFile(root.get().resolve("env.example")),
                "the original system's configuration (../shared/seed/data_sources.yaml, env.example) is not present");
        return root.get();
    }

    static Path yaml() {
        return require().resolve("data_sources.yaml");
    }

    static Path envExample() {
        return require().resolve("env.example");
    }

    /** @return the variable names the seed's {@code .env.example} declares, in its order */
    static List<String> variableNames() {
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(envExample())) {
                String l = line.trim();
                if (!l.isEmpty() && !l.startsWith("#") && l.indexOf('=') > 0) {
                    names.add(l.substring(0, l.indexOf('=')).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
