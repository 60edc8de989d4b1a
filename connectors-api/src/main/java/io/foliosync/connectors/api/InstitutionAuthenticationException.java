package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * The institution itself refused the sign-on, in a status it wrote into its answer or download (an OFX sign-on
 * status 15500 "invalid identification code or password", a locked user): the credentials at the institution must
 * be fixed, not FolioSync's configuration.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class InstitutionAuthenticationException extends AuthenticationException {
    private static final long serialVersionUID = 1L;
    private final transient InstitutionStatus status;
    private final String file;
    private final Integer line;
    private final String detail;

    /**
     * @param file   the file or endpoint that carried the status; may be null
     * @param line   the status's line in {@code file}, when known; may be null
     * @param detail what happened and what to do, without the file and line
     */
    public InstitutionAuthenticationException(String source, String file, Integer line, InstitutionStatus status,
                                              String detail) {
        super(source, (file == null ? "" : file + ": ") + (line == null ? "" : "line " + line + ": ") + detail);
        this.status = Objects.requireNonNull(status, "status");
        this.file = file;
        this.line = line;
        this.detail = detail;
    }

    /** @return the code, severity and message the institution stated */
    public InstitutionStatus status() {
        return status;
    }

    /** @return the file or endpoint that carried the status, when known */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /** @return the status's line in {@link #file()}, when known */
    public OptionalInt line() {
        return line == null ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /** @return what happened and what to do, without the source, file and line */
    public String detail() {
        return detail;
    }
}
