package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apiguardian.api.API;

/**
 * Results a connector fetches lazily, one page at a time as the caller consumes them, so a history of a
 * million rows never sits in memory at once. Single use: iterate the pages or stream the items, once.
 *
 * <pre>{@code
 * try (PagedResult<Transaction> result = connector.getTransactions(TransactionQuery.all())) {
 *     for (Page<Transaction> page : result) { store(page.items()); }
 * }
 * }</pre>
 *
 * @param <T> the record type
 */
@API(status = STABLE, since = "0.1")
public final class PagedResult<T> implements Iterable<Page<T>>, AutoCloseable {
    private final PageFetcher<T> fetcher;
    private final Runnable onClose;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean consumed;
    private int pagesFetched;

    private PagedResult(PageFetcher<T> fetcher, Runnable onClose) {
        this.fetcher = fetcher;
        this.onClose = onClose;
    }

    /** @return results that fetch pages through {@code fetcher} until a page has no next cursor */
    public static <T> PagedResult<T> of(PageFetcher<T> fetcher) {
        return new PagedResult<>(fetcher, () -> { });
    }

    /** @return results like {@link #of(PageFetcher)} that run {@code onClose} when closed */
    public static <T> PagedResult<T> of(PageFetcher<T> fetcher, Runnable onClose) {
        return new PagedResult<>(fetcher, onClose);
    }

    /** @return results holding one page with these items */
    public static <T> PagedResult<T> ofList(List<T> items) {
        return of(cursor -> Page.last(items));
    }

    /**
     * @return results that call {@code source} once, when the first page is asked for, and hand its items on in
     *         pages of {@code pageSize} (for a source that reads a whole statement at once, such as a file)
     */
    public static <T> PagedResult<T> chunked(java.util.function.Supplier<List<T>> source, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1 but was " + pageSize);
        }
        List<List<T>> chunks = new java.util.ArrayList<>();
        return of(cursor -> {
            if (cursor.isEmpty()) {
                List<T> all = List.copyOf(source.get());
                for (int i = 0; i < all.size(); i += pageSize) {
                    chunks.add(all.subList(i, Math.min(all.size(), i + pageSize)));
                }
            }
            int index = cursor.map(Integer::parseInt).orElse(0);
            List<T> items = index < chunks.size() ? chunks.get(index) : List.of();
            return index + 1 < chunks.size() ? Page.of(items, String.valueOf(index + 1)) : Page.last(items);
        });
    }

    /** @return results with no items */
    public static <T> PagedResult<T> empty() {
        return ofList(List.of());
    }

    /**
     * @return the results of {@code parts} one after the other, each fetched only when the previous one is
     *         exhausted (for a connector that reads several endpoints or accounts in turn)
     */
    public static <T> PagedResult<T> concat(List<PagedResult<T>> parts) {
        List<PagedResult<T>> copy = List.copyOf(parts);
        Iterator<PagedResult<T>> partIterator = copy.iterator();
        Object[] current = new Object[1];
        int[] served = new int[1];
        @SuppressWarnings("unchecked")
        PageFetcher<T> fetcher = cursor -> {
            while (true) {
                Iterator<Page<T>> pages = (Iterator<Page<T>>) current[0];
                if (pages != null && pages.hasNext()) {
                    Page<T> page = pages.next();
                    boolean more = pages.hasNext() || partIterator.hasNext();
                    // Each cursor differs: the page iterator stops on a repeated one.
                    return new Page<>(page.items(), more ? Optional.of(String.valueOf(++served[0])) : Optional.empty());
                }
                if (!partIterator.hasNext()) {
                    return Page.last(List.of());
                }
                current[0] = partIterator.next().iterator();
            }
        };
        return of(fetcher, () -> copy.forEach(PagedResult::close));
    }

    /** @return results whose items are mapped through {@code mapper}, page by page */
    public <R> PagedResult<R> map(Function<? super T, ? extends R> mapper) {
        Iterator<Page<T>> pages = iterator();
        int[] served = new int[1];
        return new PagedResult<>(cursor -> {
            if (!pages.hasNext()) {
                return Page.last(List.of());
            }
            Page<T> page = pages.next();
            List<R> mapped = new ArrayList<>(page.items().size());
            page.items().forEach(item -> mapped.add(mapper.apply(item)));
            return new Page<>(mapped, pages.hasNext() ? Optional.of(String.valueOf(++served[0])) : Optional.empty());
        }, this::close);
    }

    /** @return how many pages have been fetched so far */
    public int pagesFetched() {
        return pagesFetched;
    }

    /**
     * @return the pages, fetched as the iterator advances
     * @throws IllegalStateException when the results were already consumed
     */
    @Override
    public Iterator<Page<T>> iterator() {
        if (consumed) {
            throw new IllegalStateException("PagedResult is single use and was already consumed");
        }
        consumed = true;
        return new Iterator<>() {
            private Optional<String> cursor = Optional.empty();
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public Page<T> next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                Page<T> page = fetcher.fetch(cursor);
                if (page == null) {
                    throw new IllegalStateException("PageFetcher returned null instead of a page");
                }
                pagesFetched++;
                if (page.nextCursor().isEmpty() || page.nextCursor().equals(cursor)) {
                    // A source that hands back the cursor it was given would loop forever.
                    done = true;
                } else {
                    cursor = page.nextCursor();
                }
                return page;
            }
        };
    }

    /** @return the items of every page, fetched lazily; closing the stream closes these results */
    public Stream<T> stream() {
        Iterator<Page<T>> pages = iterator();
        Iterator<T> items = new Iterator<>() {
            private Iterator<T> current = List.<T>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && pages.hasNext()) {
                    current = pages.next().items().iterator();
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    /** @return every item in memory; for small results and tests only */
    public List<T> toList() {
        try (Stream<T> s = stream()) {
            return s.toList();
        }
    }

    /** Releases what the fetcher holds; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }
}
