package io.foliosync.connectors.api;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Data could not be fetched or understood: a network failure, an unexpected status, a malformed
 * response, or a call made before {@link Connector#authenticate()}. It carries where it happened so a user
 * can find the record.
 */
public class DataFetchException extends ConnectorException {
    private static final long serialVersionUID = 1L;
    private final String endpoint;
    private final String record;
    private final String field;
    private final Integer httpStatus;

    private DataFetchException(String source, String endpoint, String record, String field, Integer httpStatus,
                               String message, Throwable cause) {
        super(source, describe(endpoint, record, field, message), cause);
        this.endpoint = endpoint;
        this.record = record;
        this.field = field;
        this.httpStatus = httpStatus;
    }

    public DataFetchException(String source, String message) {
        this(source, null, null, null, null, message, null);
    }

    public DataFetchException(String source, String endpoint, String message, Throwable cause) {
        this(source, endpoint, null, null, null, message, cause);
    }

    /** @return an error for a source answering with an unexpected HTTP status */
    public static DataFetchException httpStatus(String source, String endpoint, int status, String detail) {
        return new DataFetchException(source, endpoint, null, null, status,
                "HTTP " + status + (detail == null || detail.isBlank() ? "" : ": " + detail), null);
    }

    /**
     * @param record an identifier of the record at fault (its id, line number or index); may be null
     * @param field  the field at fault; may be null
     * @return an error for a response that could be read but holds data that makes no sense
     */
    public static DataFetchException malformed(String source, String endpoint, String record, String field,
                                               String detail, Throwable cause) {
        return new DataFetchException(source, endpoint, record, field, null, detail, cause);
    }

    /** @return the error for a data method called before a successful {@code authenticate()} */
    public static DataFetchException notAuthenticated(String source, String operation) {
        return new DataFetchException(source, null, null, null, null,
                operation + " called before authenticate(): call authenticate() and check its result first",
                null);
    }

    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    public Optional<String> record() {
        return Optional.ofNullable(record);
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public OptionalInt httpStatus() {
        return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    private static String describe(String endpoint, String record, String field, String message) {
        StringBuilder sb = new StringBuilder();
        if (endpoint != null) {
            sb.append(endpoint).append(": ");
        }
        if (record != null) {
            sb.append("record ").append(record).append(": ");
        }
        if (field != null) {
            sb.append("field '").append(field).append("': ");
        }
        return sb.append(message).toString();
    }
}
