/** {@code data_sources.yaml} and {@code .env}: global settings, the database, sync frequencies, the sources. */
package io.foliosync.imports.config;
