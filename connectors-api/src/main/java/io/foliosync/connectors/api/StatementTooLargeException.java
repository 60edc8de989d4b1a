package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A statement file is larger than the plugin reads ({@link StatementFolder#DEFAULT_MAX_FILE_SIZE} unless the
 * plugin sets another): refused before a byte of it is read. Statement parsers hold a file and the tree parsed from
 * it in memory, twenty times the file's size and more for OFX; a 200 MB statement took 4.3 GB, and ran a 512 MB
 * heap out of memory, taking every other source of the run with it. A real statement of a year is well under a
 * megabyte, so a file this large is a mistake or an attack. Never retried.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class StatementTooLargeException extends DataFetchException {
    private static final long serialVersionUID = 1L;
    private final long size;
    private final long limit;

    /**
     * @param file    the file refused
     * @param size    its size in bytes
     * @param limit   the largest size read, in bytes
     * @param setting how the user raises the limit (a field or key name), for the message
     */
    public StatementTooLargeException(String source, String file, long size, long limit, String setting) {
        super(source, file, "the statement file is " + size + " bytes, more than the " + limit + " bytes this "
                + "plugin reads (" + setting + "); it was not read", null);
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
