package io.foliosync.imports;

import io.foliosync.imports.config.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases tests run against: a SQLite file in a temporary directory, and the PostgreSQL server at
 * 127.0.0.1:5432 (database {@code test}, user {@code postgres}, trust auth) in a schema of its own per test,
 * when that server is reachable (skipped with a message otherwise). Override with {@code FOLIOSYNC_TEST_PG_URL}.
 */
public final class TestDatabases {
    public static final String PG_URL = Optional.ofNullable(System.getenv("FOLIOSYNC_TEST_PG_URL"))
            .orElse("jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = "postgres";
    private static Boolean pgReachable;

    public enum Backend { SQLITE, POSTGRES }

    public static List<Backend> backends() {
        return List.of(Backend.SQLITE, Backend.POSTGRES);
    }

    private TestDatabases() {
    }

    public static synchronized boolean postgresReachable() {
        if (pgReachable == null) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
                pgReachable = c.isValid(2);
            } catch (SQLException e) {
                pgReachable = false;
            }
        }
        return pgReachable;
    }

    /** @return settings for a fresh database of this backend; the PostgreSQL schema is unique per call */
    public static DatabaseSettings settings(Backend backend, Path dir) {
        if (backend == Backend.SQLITE) {
            return DatabaseSettings.sqlite(dir.resolve("foliosync-" + UUID.randomUUID() + ".db"));
        }
        Assumptions.assumeTrue(postgresReachable(),
                "PostgreSQL at " + PG_URL + " is not reachable: PostgreSQL tests skipped");
        String schema = "fs_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        return DatabaseSettings.postgres(PG_URL, PG_USER, Optional.empty()).withSchema(schema);
    }

    /** Drops a PostgreSQL test schema; nothing for SQLite (the temp dir goes away). */
    public static void drop(DatabaseSettings settings) {
        if (settings.isSqlite() || settings.schema().isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
             Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + settings.schema().get() + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
