/**
 * The sink SPI: where FolioSync delivers what it synced, beside the sources that feed it.
 *
 * <p>A source ({@link io.foliosync.connectors.api.Connector}, through a
 * {@link io.foliosync.connectors.api.config.ConnectorProvider}) brings an account's history in; a {@link
 * io.foliosync.connectors.api.sink.Sink} (through a {@link io.foliosync.connectors.api.sink.SinkProvider}) takes it
 * out to the tool the user reads it in. After each succeeded sync of an account, and after the data is stored,
 * import-core hands every enabled sink the records of that account that are new or changed since the sink's own
 * cursor, and the account's holdings snapshot when it is newer than the one the sink last received. The cursor is
 * kept per sink and account in the database and moves only past what a sink accepted, so a sink that was down
 * receives the backlog on the next sync. A sink's failure never fails, delays or rolls back the import: it is
 * reported per account on the job's result. See {@code docs/sinks.md}.
 */
package io.foliosync.connectors.api.sink;
