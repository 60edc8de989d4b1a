/** Syncing each source on its {@code sync_frequency}. */
package io.foliosync.imports.schedule;
