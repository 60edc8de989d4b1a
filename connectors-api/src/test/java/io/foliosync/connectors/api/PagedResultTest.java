package io.foliosync.connectors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PagedResultTest {

    /** Three pages of two numbers, counting fetches. */
    private static PagedResult<Integer> numbers(AtomicInteger fetches) {
        return PagedResult.of(cursor -> {
            fetches.incrementAndGet();
            int page = cursor.map(Integer::parseInt).orElse(0);
            List<Integer> items = List.of(page * 2, page * 2 + 1);
            return page == 2 ? Page.last(items) : Page.of(items, String.valueOf(page + 1));
        });
    }

    @Test
    void pagesAreFetchedOnlyAsTheyAreConsumed() {
        AtomicInteger fetches = new AtomicInteger();
        try (Stream<Integer> s = numbers(fetches).stream()) {
            assertThat(s.limit(3).toList()).containsExactly(0, 1, 2);
        }
        assertThat(fetches).hasValue(2);
    }

    @Test
    void iteratingPagesStopsAtTheLastPage() {
        AtomicInteger fetches = new AtomicInteger();
        List<Integer> all = new ArrayList<>();
        PagedResult<Integer> result = numbers(fetches);
        for (Page<Integer> page : result) {
            all.addAll(page.items());
        }
        assertThat(all).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(result.pagesFetched()).isEqualTo(3);
    }

    @Test
    void aSourceRepeatingItsCursorDoesNotLoopForever() {
        PagedResult<String> stuck = PagedResult.of(cursor -> Page.of(List.of("x"), "same"));
        assertThat(stuck.toList()).containsExactly("x", "x");
    }

    @Test
    void resultsAreSingleUse() {
        PagedResult<Integer> result = numbers(new AtomicInteger());
        result.toList();
        assertThatThrownBy(result::toList).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concatReadsPartsInTurnAndClosesThemAll() {
        AtomicInteger closed = new AtomicInteger();
        PagedResult<Integer> a = PagedResult.of(c -> Page.last(List.of(1)), closed::incrementAndGet);
        PagedResult<Integer> b = PagedResult.of(c -> Page.last(List.of()), closed::incrementAndGet);
        PagedResult<Integer> c = numbers(new AtomicInteger());
        try (PagedResult<Integer> all = PagedResult.concat(List.of(a, b, c))) {
            assertThat(all.map(i -> i * 10).toList()).containsExactly(10, 0, 10, 20, 30, 40, 50);
        }
        assertThat(closed).hasValue(2);
    }

    @Test
    void emptyHasNoItems() {
        assertThat(PagedResult.empty().toList()).isEmpty();
        assertThat(new Page<>(List.of(), Optional.empty()).nextCursor()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void chunkedReadsItsSourceOnceWhenFirstAskedAndHandsItOnInPages() {
        AtomicInteger reads = new AtomicInteger();
        PagedResult<Integer> r = PagedResult.chunked(() -> {
            reads.incrementAndGet();
            return java.util.List.of(1, 2, 3, 4, 5);
        }, 2);
        org.assertj.core.api.Assertions.assertThat(reads).as("lazy").hasValue(0);
        java.util.List<java.util.List<Integer>> pages = new java.util.ArrayList<>();
        r.forEach(p -> pages.add(p.items()));
        org.assertj.core.api.Assertions.assertThat(pages).containsExactly(java.util.List.of(1, 2),
                java.util.List.of(3, 4), java.util.List.of(5));
        org.assertj.core.api.Assertions.assertThat(reads).hasValue(1);
        org.assertj.core.api.Assertions.assertThat(PagedResult.chunked(java.util.List::<Integer>of, 2).toList())
                .isEmpty();
    }
}
