package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** How much a broken validation rule weighs. */
@API(status = STABLE, since = "0.1")
public enum Severity {
    /** The record is rejected and kept in the quarantine table. */
    ERROR,
    /** The record is kept; the problem is logged. */
    WARNING
}
