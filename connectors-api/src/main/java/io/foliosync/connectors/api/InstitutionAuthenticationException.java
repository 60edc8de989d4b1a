package io.foliosync.connectors.api;

import java.util.Objects;

/**
 * The institution itself refused the sign-on, in a status it wrote into its answer or download (an OFX sign-on
 * status 15500 "invalid identification code or password", a locked user): the credentials at the institution must
 * be fixed, not FolioSync's configuration.
 */
public final class InstitutionAuthenticationException extends AuthenticationException {
    private static final long serialVersionUID = 1L;
    private final transient InstitutionStatus status;

    public InstitutionAuthenticationException(String source, InstitutionStatus status, String message) {
        super(source, message);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** @return the code, severity and message the institution stated */
    public InstitutionStatus status() {
        return status;
    }
}
