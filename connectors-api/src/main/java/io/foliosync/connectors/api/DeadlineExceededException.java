package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * A source ran out of time: one HTTP call got no complete answer within its total deadline (OkHttp's call
 * timeout, which spans connecting, every retry and reading the whole body), or the sync of the source as a whole
 * outlasted its overall deadline ({@code global.sync_deadline}). A server that trickles one byte a second never
 * trips a read timeout; this is what stops it.
 *
 * <p>Not a {@link NetworkException}: the HTTP layer already retried inside the call's deadline, and an import job
 * must not start the wait over (four attempts of a five-minute call were how one stalled server held a sync for
 * twenty minutes). Nothing read after the deadline is stored and the source's cursor does not move.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class DeadlineExceededException extends DataFetchException {
    private static final long serialVersionUID = 1L;
    private final Duration deadline;
    private final boolean wholeSync;

    /**
     * @param endpoint  {@code METHOD /path} of the call that was cut, or what the sync was doing; may be null
     * @param deadline  the deadline that was exceeded
     * @param wholeSync whether it is the sync's overall deadline rather than one call's
     */
    public DeadlineExceededException(String source, String endpoint, Duration deadline, boolean wholeSync,
                                     Throwable cause) {
        super(source, endpoint, (wholeSync ? "the sync did not finish within its deadline of "
                : "no complete answer within the call's deadline of ") + deadline
                + (wholeSync ? " (global.sync_deadline)" : "") + "; the cursor was not moved", cause);
        this.deadline = deadline;
        this.wholeSync = wholeSync;
    }

    public Duration deadline() {
        return deadline;
    }

    /** @return whether the sync's overall deadline ran out, rather than one call's */
    public boolean wholeSync() {
        return wholeSync;
    }
}
