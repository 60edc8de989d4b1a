package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Splits a transaction query into windows the Trader API accepts. The API takes at most a one-year range per
 * call and returns at most 3000 activities per call without paging, and keeps about one year of history.
 * The connector asks for 90-day windows (configurable), newest-last, and never further back than the
 * lookback limit.
 */
@API(status = INTERNAL, since = "0.1")
public final class TransactionWindows {
    /** The default window: well inside the one-year range limit and the 3000-row cap of one response. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(90);
    /** How far back the API serves history. */
    public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(365);
    /** The API's per-response cap; a full window is split in half and fetched again. */
    public static final int MAX_ROWS_PER_CALL = 3000;

    private TransactionWindows() {
    }

    /** One window, half-open: {@code [start, end)}. */
    public record Window(Instant start, Instant end) {
        public Window {
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("window start " + start + " must be before end " + end);
            }
        }

        /** @return the two halves, for a window whose answer hit the row cap */
        public List<Window> halves() {
            Instant mid = start.plus(Duration.between(start, end).dividedBy(2));
            if (!start.isBefore(mid)) {
                return List.of(this);
            }
            return List.of(new Window(start, mid), new Window(mid, end));
        }
    }

    /**
     * @return the windows covering {@code [start, end)}, oldest first; empty when the range is empty
     */
    public static List<Window> split(Instant start, Instant end, Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive but was " + window);
        }
        List<Window> out = new ArrayList<>();
        Instant cursor = start;
        while (cursor.isBefore(end)) {
            Instant next = cursor.plus(window);
            if (next.isAfter(end)) {
                next = end;
            }
            out.add(new Window(cursor, next));
            cursor = next;
        }
        return out;
    }
}
