package io.foliosync.imports.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One broken rule.
 *
 * @param rule     the rule
 * @param severity its severity for this run
 * @param field    the field at fault, when one is
 * @param message  what is wrong, naming the values
 */
@API(status = INTERNAL, since = "0.1")
public record ValidationIssue(ValidationRule rule, Severity severity, Optional<String> field, String message) {
    public ValidationIssue {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
