package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The institution reported an error of its own in its answer or download instead of the data (an OFX status 2000
 * "general error", an unknown account): not malformed data, and not retried, since the same download holds the
 * same error.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class InstitutionErrorException extends DataFetchException {
    private static final long serialVersionUID = 1L;
    private final transient InstitutionStatus status;

    /**
     * @param endpoint the file or endpoint that carried the status; may be null
     * @param record   where in it (a line); may be null
     * @param field    the element that carried the status ({@code STMTTRNRS.STATUS}); may be null
     */
    public InstitutionErrorException(String source, String endpoint, String record, String field,
                                     InstitutionStatus status, String message) {
        super(source, endpoint, record, field, null, message, null);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** @return the code, severity and message the institution stated */
    public InstitutionStatus status() {
        return status;
    }
}
