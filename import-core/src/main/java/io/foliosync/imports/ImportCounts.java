package io.foliosync.imports;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * What an import did with the records it received.
 *
 * @param imported new records written
 * @param updated  records already stored whose content changed at the source, updated in place
 * @param skipped  records already stored unchanged (duplicates), not written
 * @param rejected records a validation rule of severity error rejected, kept in the quarantine table
 */
@API(status = STABLE, since = "0.1")
public record ImportCounts(long imported, long updated, long skipped, long rejected) {
    public static final ImportCounts ZERO = new ImportCounts(0, 0, 0, 0);

    public ImportCounts {
        if (imported < 0 || updated < 0 || skipped < 0 || rejected < 0) {
            throw new IllegalArgumentException("ImportCounts must not be negative");
        }
    }

    public ImportCounts plus(ImportCounts other) {
        return new ImportCounts(imported + other.imported, updated + other.updated, skipped + other.skipped,
                rejected + other.rejected);
    }

    /** @return every record received */
    public long total() {
        return imported + updated + skipped + rejected;
    }

    /** @return records written (imported or updated) */
    public long written() {
        return imported + updated;
    }
}
