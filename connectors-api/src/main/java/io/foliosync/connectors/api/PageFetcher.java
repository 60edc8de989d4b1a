package io.foliosync.connectors.api;

import java.util.Optional;

/**
 * Fetches one page of a paged source.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface PageFetcher<T> {
    /**
     * @param cursor empty for the first page, else the {@link Page#nextCursor()} of the previous page
     * @return the page; never null
     * @throws ConnectorException when the source fails
     */
    Page<T> fetch(Optional<String> cursor);
}
