package io.foliosync.imports.config;

import static org.apiguardian.api.API.Status.STABLE;

import io.foliosync.connectors.api.secrets.Secret;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Where the portfolio database lives.
 *
 * @param jdbcUrl     {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host:port/db}
 * @param user        the database user (PostgreSQL)
 * @param password    the password, when the server asks for one
 * @param schema      the PostgreSQL schema to use (created when missing); empty for the user's default
 * @param maxPoolSize connections kept open (PostgreSQL; SQLite has one writer anyway)
 */
@API(status = STABLE, since = "0.1")
public record DatabaseSettings(String jdbcUrl, Optional<String> user, Optional<Secret> password,
                               Optional<String> schema, int maxPoolSize) {
    /** The embedded default: a SQLite file under {@code data/}. */
    public static final Path DEFAULT_SQLITE_FILE = Path.of("data", "foliosync.db");

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database url must start with jdbc:sqlite: or jdbc:postgresql: but "
                    + "was '" + redact(jdbcUrl) + "'");
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(schema, "schema");
        schema.filter(s -> !s.matches("[a-z_][a-z0-9_]{0,62}")).ifPresent(s -> {
            throw new IllegalArgumentException("schema must be a lower-case SQL identifier but was '" + s + "'");
        });
        if (maxPoolSize < 2) {
            throw new IllegalArgumentException("maxPoolSize must be at least 2 but was " + maxPoolSize);
        }
    }

    /** @return the embedded default, {@code data/foliosync.db} */
    public static DatabaseSettings defaults() {
        return sqlite(DEFAULT_SQLITE_FILE);
    }

    public static DatabaseSettings sqlite(Path file) {
        return new DatabaseSettings("jdbc:sqlite:" + file, Optional.empty(), Optional.empty(), Optional.empty(), 4);
    }

    public static DatabaseSettings postgres(String jdbcUrl, String user, Optional<Secret> password) {
        return new DatabaseSettings(jdbcUrl, Optional.of(user), password, Optional.empty(), 10);
    }

    public DatabaseSettings withSchema(String schemaName) {
        return new DatabaseSettings(jdbcUrl, user, password, Optional.of(schemaName), maxPoolSize);
    }

    public DatabaseSettings withMaxPoolSize(int size) {
        return new DatabaseSettings(jdbcUrl, user, password, schema, size);
    }

    /** @return the url with a {@code password=} parameter masked, for logs and messages */
    public String redactedUrl() {
        return redact(jdbcUrl);
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)password=[^&]*", "password=****");
    }

    public boolean isSqlite() {
        return jdbcUrl.startsWith("jdbc:sqlite:");
    }

    /** @return the SQLite file, for a SQLite url */
    public Optional<Path> sqliteFile() {
        return isSqlite() ? Optional.of(Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", "")))
                : Optional.empty();
    }
}
