package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A response or file could be read but holds data that makes no sense: not JSON, a missing field, an amount
 * that is not a number. It names the record and field at fault when known. Never retried: the same request
 * returns the same data.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MalformedDataException extends DataFetchException {
    private static final long serialVersionUID = 1L;

    /**
     * @param endpoint {@code METHOD /path} or the file; may be null
     * @param record   an identifier of the record at fault (its id, line number or index); may be null
     * @param field    the field at fault; may be null
     */
    public MalformedDataException(String source, String endpoint, String record, String field, String detail,
                                  Throwable cause) {
        super(source, endpoint, record, field, null, detail, cause);
    }
}
