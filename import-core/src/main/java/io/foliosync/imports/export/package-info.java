/**
 * Exports of the stored, normalised history to files other tools read: Portfolio Performance's CSV import
 * layouts, and plain CSV, JSON and OFX. {@link io.foliosync.imports.export.Exports} is the entry point;
 * {@code foliosync export} its command line. See {@code docs/sinks.md}.
 */
package io.foliosync.imports.export;
