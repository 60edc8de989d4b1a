package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Fetches one page of a paged source.
 *
 * @param <T> the record type
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1")
public interface PageFetcher<T> {
    /**
     * @param cursor empty for the first page, else the {@link Page#nextCursor()} of the previous page
     * @return the page; never null
     * @throws ConnectorException when the source fails
     */
    Page<T> fetch(Optional<String> cursor);
}
