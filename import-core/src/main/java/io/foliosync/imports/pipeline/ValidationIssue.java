package io.foliosync.imports.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * One broken rule.
 *
 * @param rule     the rule
 * @param severity its severity for this run
 * @param field    the field at fault, when one is
 * @param message  what is wrong, naming the values
 */
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
