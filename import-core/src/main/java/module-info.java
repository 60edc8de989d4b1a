/**
 * FolioSync's importer and its one entry point, {@code FolioSync}: sync, scheduling, portfolios and the read-only
 * {@code PortfolioQuery}. The store with its writes and the wiring are exported to the bundled CLI and console
 * only.
 */
module io.foliosync.imports {
    requires transitive io.foliosync.connectors.api;
    requires java.sql;
    requires org.slf4j;
    requires org.yaml.snakeyaml;
    requires com.squareup.moshi;
    requires com.zaxxer.hikari;
    requires flyway.core;
    requires com.github.kagkarlsson.scheduler;
    requires io.github.bucket4j.core;
    requires io.github.bucket4j.postgresql;

    exports io.foliosync.imports;
    exports io.foliosync.imports.query;
    exports io.foliosync.imports.reconcile;
    exports io.foliosync.imports.config;
    exports io.foliosync.imports.pipeline;
    exports io.foliosync.imports.schedule;
    exports io.foliosync.imports.export;
    exports io.foliosync.imports.history;
    exports io.foliosync.imports.internal to io.foliosync.examples;
    exports io.foliosync.imports.store to io.foliosync.examples;

    // Flyway finds the migrations with ClassLoader.getResources, which sees a named module's resources only in
    // packages it opens
    opens db.migration.foliosync;

    uses io.foliosync.connectors.api.config.ConnectorProvider;
    uses io.foliosync.connectors.api.sink.SinkProvider;
}
