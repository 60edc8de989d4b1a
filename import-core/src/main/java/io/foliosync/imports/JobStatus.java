package io.foliosync.imports;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Locale;
import org.apiguardian.api.API;

/** The state of an import job, as the {@code import_jobs.status} column stores it. */
@API(status = STABLE, since = "0.1")
public enum JobStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** The process ended while the job ran; found at the next start. */
    INTERRUPTED,
    /** Not started because the same source was already syncing; never stored. */
    SKIPPED;

    /** @return the column value, such as {@code succeeded} */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
