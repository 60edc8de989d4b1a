package io.foliosync.imports;

/** How much of a source's history a sync reads. */
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
