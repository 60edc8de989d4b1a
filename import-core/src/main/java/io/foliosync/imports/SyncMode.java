package io.foliosync.imports;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** How much of a source's history a sync reads. */
@API(status = STABLE, since = "0.1")
public enum SyncMode {
    /** From the source's cursor: what is new since its last succeeded job (the default). */
    INCREMENTAL,
    /**
     * The whole history, as if the source had never synced: the repair for an account whose reconciliation points
     * at a gap. Deduplication keeps the re-read free of duplicate rows; the cursor ends where an incremental sync
     * would leave it.
     */
    FULL_HISTORY
}
