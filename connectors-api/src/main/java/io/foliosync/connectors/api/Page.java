package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One page of results from a source.
 *
 * @param items      the page's records, in the source's order; never null
 * @param nextCursor where the next page starts (an offset, a cursor id), or empty when this is the last page
 * @param <T>        the record type
 */
@API(status = STABLE, since = "0.1")
public record Page<T>(List<T> items, Optional<String> nextCursor) {
    public Page {
        items = List.copyOf(Fields.required("Page", "items", items));
        Fields.optional("Page", "nextCursor", nextCursor);
    }

    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, Optional.empty());
    }

    public static <T> Page<T> of(List<T> items, String nextCursor) {
        return new Page<>(items, Optional.of(nextCursor));
    }
}
