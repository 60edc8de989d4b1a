package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * Something a source read but could not use in full, reported to the user beside the import's result rather than
 * failing it: a statement file skipped, a malformed optional field dropped, two lines that share a bank id. The
 * data around it was imported.
 *
 * @param source    the connector or plugin id
 * @param reference the file, endpoint or record the warning is about
 * @param line      the line in {@code reference}, when known
 * @param field     the field at fault, when known
 * @param message   what happened and what was done about it, for a person
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record DataWarning(String source, String reference, OptionalInt line, Optional<String> field, String message) {
    public DataWarning {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(line, "line (use OptionalInt.empty())");
        Objects.requireNonNull(field, "field (use Optional.empty())");
        Objects.requireNonNull(message, "message");
    }

    /** A warning about a line's field. */
    public static DataWarning field(String source, String reference, int line, String field, String message) {
        return new DataWarning(source, reference, OptionalInt.of(line), Optional.of(field), message);
    }

    /** A warning about a whole file or record. */
    public static DataWarning of(String source, String reference, String message) {
        return new DataWarning(source, reference, OptionalInt.empty(), Optional.empty(), message);
    }

    /** @return one line for a person: {@code file, line 12, field 'DTASOF': message} (without the source) */
    public String describe() {
        StringBuilder sb = new StringBuilder(reference);
        line.ifPresent(l -> sb.append(", line ").append(l));
        field.ifPresent(f -> sb.append(", field '").append(f).append('\''));
        return sb.append(": ").append(message).toString();
    }
}
