package io.foliosync.imports.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.imports.query.StoredTransaction;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A {@code transactions} row with where it sits in the order rows were written: what a sink's cursor counts by.
 *
 * @param position the row's last write
 * @param row      the row
 */
@API(status = INTERNAL, since = "0.1")
public record StoredChange(Position position, StoredTransaction row) {
    public StoredChange {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(row, "row");
    }

    /**
     * Where a row's last write sits: the job that inserted or last corrected it, then its row id. A later write of
     * an account always sits after an earlier one, since an account's rows are written by its own source's jobs one
     * at a time (under the source's lock) and job ids only grow.
     */
    @API(status = INTERNAL, since = "0.1")
    public record Position(long jobId, long rowId) implements Comparable<Position> {
        public static final Position START = new Position(0, 0);

        @Override
        public int compareTo(Position o) {
            int byJob = Long.compare(jobId, o.jobId);
            return byJob != 0 ? byJob : Long.compare(rowId, o.rowId);
        }
    }
}
