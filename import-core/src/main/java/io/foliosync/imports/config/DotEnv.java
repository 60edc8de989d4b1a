package io.foliosync.imports.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Internal: not part of the API ({@link io.foliosync.imports.FolioSync} reads the master key's variable from the
 * same file the configuration interpolates from).
 *
 * <p>The {@code .env} file: variables the process environment lacks.
 */
@API(status = INTERNAL, since = "0.1")
public final class DotEnv {
    private DotEnv() {
    }

    /** @return the {@code .env} beside {@code yamlFile}, else the one in the working directory, when present */
    public static Optional<Path> beside(Path yamlFile) {
        Path beside = yamlFile.toAbsolutePath().getParent().resolve(".env");
        Path dotEnv = Files.exists(beside) ? beside : Path.of(".env");
        return Files.exists(dotEnv) ? Optional.of(dotEnv) : Optional.empty();
    }

    /** Reads {@code KEY=value} lines; {@code #} comments, blank lines, {@code export} and quotes allowed. */
    public static Map<String, String> read(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException(file.toString(), "cannot read the .env file: " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).trim();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                // never echo the line: it may hold a secret
                throw new ConfigurationException(file.toString(), "line " + (i + 1) + ": expected KEY=value");
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment).trim();
                }
            }
            out.put(key, value);
        }
        return out;
    }
}
