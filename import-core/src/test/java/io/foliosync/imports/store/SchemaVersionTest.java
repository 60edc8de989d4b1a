package io.foliosync.imports.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.foliosync.imports.TestDatabases;
import io.foliosync.imports.TestDatabases.Backend;
import io.foliosync.imports.TestStores;
import io.foliosync.imports.config.DatabaseSettings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store skips Flyway when the database's history ends at {@link JdbcPortfolioStore#SCHEMA_VERSION}, so that
 * constant must be the newest migration's version, and a database behind it must still be migrated.
 */
class SchemaVersionTest {
    @TempDir
    Path dir;
    private final TestStores open = new TestStores();

    static List<Backend> backends() {
        return TestDatabases.backends();
    }

    @AfterEach
    void tearDown() throws Exception {
        open.close();
    }

    @Test
    void theSchemaVersionIsTheNewestMigrations() throws IOException, URISyntaxException {
        Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
        int newest = 0;
        for (String folder : List.of("db/migration/foliosync", "db/migration/foliosync-postgres")) {
            Path path = Path.of(getClass().getClassLoader().getResource(folder).toURI());
            try (Stream<Path> files = Files.list(path)) {
                for (Path f : files.toList()) {
                    Matcher m = version.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        newest = Math.max(newest, Integer.parseInt(m.group(1)));
                    }
                }
            }
        }
        assertThat(JdbcPortfolioStore.SCHEMA_VERSION).isEqualTo(String.valueOf(newest));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aDatabaseBehindTheNewestVersionIsStillMigrated(Backend backend) throws Exception {
        DatabaseSettings settings = TestDatabases.settings(backend, dir);
        open.store(settings).close();
        // as if the newest migration (V17, daily_closes) had not run yet: its table gone, its history row too
        try (Connection c = connect(settings); Statement st = c.createStatement()) {
            st.execute("DROP TABLE daily_closes");
            st.execute("DELETE FROM flyway_schema_history WHERE version = '" + JdbcPortfolioStore.SCHEMA_VERSION
                    + "'");
        }
        open.store(settings);
        try (Connection c = connect(settings); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '"
                     + JdbcPortfolioStore.SCHEMA_VERSION + "' AND success")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the newest migration ran again").isEqualTo(1);
        }
    }

    private static Connection connect(DatabaseSettings s) throws Exception {
        if (s.isSqlite()) {
            return DriverManager.getConnection(s.jdbcUrl());
        }
        Connection c = DriverManager.getConnection(s.jdbcUrl(), TestDatabases.PG_USER, "");
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + s.schema().orElseThrow());
        }
        return c;
    }
}
