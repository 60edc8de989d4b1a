package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.DeadlineExceededException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import org.apiguardian.api.API;

/**
 * The overall deadline of one source's sync, for the thread running it. While it is open, every call made on that
 * thread through a client of {@link HttpClients} is registered; when the deadline passes, those still running are
 * cancelled (a server trickling a byte a second never trips a read timeout, and a thread blocked in a socket read
 * does not answer an interrupt) and every later call fails at once with a {@link DeadlineExceededException}
 * naming the source and the endpoint.
 *
 * <pre>{@code
 * try (SyncDeadline d = SyncDeadline.open("kraken", Duration.ofMinutes(30))) {
 *     ... the sync ...
 *     if (d.expired()) throw d.exceeded("page 12");
 * }
 * }</pre>
 *
 * <p>It reaches what runs on the opening thread: a connector that fetches on threads of its own, or through a
 * library with its own HTTP stack (XChange's rescu), is bounded by its per-call timeouts and by the job's checks
 * of {@link #expired()} between pages.
 */
@API(status = INTERNAL, since = "0.1")
public final class SyncDeadline implements AutoCloseable {
    private static final ThreadLocal<SyncDeadline> CURRENT = new ThreadLocal<>();
    private static final ScheduledExecutorService ALARMS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "foliosync-sync-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final String source;
    private final Duration limit;
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private final SyncDeadline previous;
    private final ScheduledFuture<?> alarm;
    private final long endsAtNanos;
    private volatile boolean expired;

    private SyncDeadline(String source, Duration limit) {
        this.source = Objects.requireNonNull(source, "source");
        this.limit = Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a sync deadline must be positive but was " + limit);
        }
        this.previous = CURRENT.get();
        this.endsAtNanos = System.nanoTime() + limit.toNanos();
        this.alarm = ALARMS.schedule(this::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Opens the deadline of {@code source}'s sync on the current thread: it runs from now for {@code limit}. */
    public static SyncDeadline open(String source, Duration limit) {
        SyncDeadline d = new SyncDeadline(source, limit);
        CURRENT.set(d);
        return d;
    }

    /** @return the deadline open on the current thread, if any */
    public static Optional<SyncDeadline> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    public String source() {
        return source;
    }

    public Duration limit() {
        return limit;
    }

    /** @return the time left, zero once the deadline has passed: a wait between attempts must not outlast it */
    public Duration remaining() {
        long left = endsAtNanos - System.nanoTime();
        return expired || left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** @return whether the deadline has passed */
    public boolean expired() {
        return expired;
    }

    /** @return the typed error for the deadline having passed while the sync was at {@code where} */
    public DeadlineExceededException exceeded(String where) {
        return new DeadlineExceededException(source, where, limit, true, null);
    }

    private void expire() {
        expired = true;
        calls.forEach(Call::cancel);
    }

    /** Registers a call about to run; fails it at once when the deadline has passed. */
    void enter(Call call) throws IOException {
        calls.add(call);
        if (expired) {
            call.cancel();
            throw new Exceeded(this);
        }
    }

    @Override
    public void close() {
        alarm.cancel(false);
        calls.clear();
        if (CURRENT.get() == this) {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The I/O failure of a call refused or cut by the deadline: {@link ApiClient} turns it into the typed error. */
    static final class Exceeded extends IOException {
        private static final long serialVersionUID = 1L;
        final transient SyncDeadline deadline;

        Exceeded(SyncDeadline deadline) {
            super(deadline.source + ": the sync's deadline of " + deadline.limit + " has passed");
            this.deadline = deadline;
        }
    }
}
