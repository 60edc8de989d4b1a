package io.foliosync.imports.export;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.imports.query.StoredTransaction;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Which records an export holds.
 *
 * @param source a namespace ({@code ibkr}, {@code crypto_exchanges}, a plugin id); every one when empty
 * @param from   the first trade date included
 * @param to     the last trade date included
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ExportFilter(Optional<String> source, Optional<LocalDate> from, Optional<LocalDate> to) {
    public ExportFilter {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw new IllegalArgumentException("--from " + from.get() + " is after --to " + to.get());
        }
    }

    /** Every record. */
    public static final ExportFilter ALL = new ExportFilter(Optional.empty(), Optional.empty(), Optional.empty());

    boolean matches(StoredTransaction t) {
        LocalDate d = t.transaction().tradeDate();
        return from.map(f -> !d.isBefore(f)).orElse(true) && to.map(x -> !d.isAfter(x)).orElse(true);
    }
}
