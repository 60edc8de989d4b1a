package io.foliosync.imports.pipeline;

/** How much a broken validation rule weighs. */
public enum Severity {
    /** The record is rejected and kept in the quarantine table. */
    ERROR,
    /** The record is kept; the problem is logged. */
    WARNING
}
