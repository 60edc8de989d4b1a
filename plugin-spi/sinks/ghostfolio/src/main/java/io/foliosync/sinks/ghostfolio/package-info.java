/**
 * The Ghostfolio sink: delivers each synced account's activities to a Ghostfolio server through its import API
 * ({@code POST /api/v1/import}), one Ghostfolio account per FolioSync account, corrections through
 * {@code PUT /api/v1/activities/:id}. Registered as the {@link io.foliosync.connectors.api.sink.SinkProvider} of
 * type {@code ghostfolio}; configured under {@code sinks:} in {@code data_sources.yaml}. See {@code docs/sinks.md}.
 */
package io.foliosync.sinks.ghostfolio;
