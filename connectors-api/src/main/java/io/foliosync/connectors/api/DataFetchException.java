package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * Data could not be fetched or understood. It carries where it happened so a user can find the record.
 *
 * <p>Callers decide by type, never by message: {@link NetworkException} (the source could not be reached),
 * {@link HttpStatusException} (an unexpected status), {@link MalformedDataException} (data that makes no
 * sense) and {@link UntrustedCertificateException} (a TLS peer that is not trusted). A plain
 * {@code DataFetchException} is anything else a source refused, such as a call made before
 * {@link Connector#authenticate()}, a missing file or an error the source reported in its answer; it is
 * never retried.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class DataFetchException extends ConnectorException {
    private static final long serialVersionUID = 1L;
    private final String endpoint;
    private final String record;
    private final String field;
    private final Integer httpStatus;
    private final String detail;

    DataFetchException(String source, String endpoint, String record, String field, Integer httpStatus,
                               String message, Throwable cause) {
        super(source, describe(endpoint, record, field, message), cause);
        this.endpoint = endpoint;
        this.record = record;
        this.field = field;
        this.httpStatus = httpStatus;
        this.detail = message;
    }

    public DataFetchException(String source, String message) {
        this(source, null, null, null, null, message, null);
    }

    public DataFetchException(String source, String endpoint, String message, Throwable cause) {
        this(source, endpoint, null, null, null, message, cause);
    }

    /** @return an error for a source answering with an unexpected HTTP status */
    public static HttpStatusException httpStatus(String source, String endpoint, int status, String detail) {
        return new HttpStatusException(source, endpoint, status, Optional.empty(), detail);
    }

    /**
     * @param record an identifier of the record at fault (its id, line number or index); may be null
     * @param field  the field at fault; may be null
     * @return an error for a response that could be read but holds data that makes no sense
     */
    public static MalformedDataException malformed(String source, String endpoint, String record, String field,
                                                   String detail, Throwable cause) {
        return new MalformedDataException(source, endpoint, record, field, detail, cause);
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

    /**
     * @return what went wrong, without the source, endpoint, record and field in front: for a message that states
     *         those apart (a warning naming file, line and field)
     */
    public String detail() {
        return detail == null ? "" : detail;
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
