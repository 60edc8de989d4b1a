package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A status an institution stated in its own answer, such as an OFX {@code <STATUS>}: its code, severity and
 * message, kept as the institution wrote them so the user can look the code up or quote it to the bank.
 *
 * @param code     the institution's code (OFX: 0 success, 2000 general error, 15500 sign-on refused)
 * @param severity the severity it gave (OFX: {@code INFO}, {@code WARN} or {@code ERROR}); empty text when absent
 * @param message  its message, when it gave one
 */
@API(status = STABLE, since = "0.1")
public record InstitutionStatus(int code, String severity, Optional<String> message) {
    public InstitutionStatus {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message (use Optional.empty())");
    }

    /** @return {@code code 15500 (ERROR): invalid identification code or password} */
    public String describe() {
        return "code " + code + (severity.isEmpty() ? "" : " (" + severity + ")") + message.map(m -> ": " + m).orElse("");
    }
}
