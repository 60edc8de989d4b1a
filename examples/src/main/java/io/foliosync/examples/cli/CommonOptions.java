package io.foliosync.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that touches the configuration or the database shares. */
final class CommonOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "config/data_sources.yaml",
            description = "The data sources configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--db", paramLabel = "PATH|JDBC-URL",
            description = "The database: a SQLite file path or a JDBC URL (default: the configuration's).")
    String database;
}
