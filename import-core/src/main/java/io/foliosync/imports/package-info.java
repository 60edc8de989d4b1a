/** The import pipeline: normalize, validate, deduplicate and store, with jobs, configuration and scheduling. */
package io.foliosync.imports;
