package io.foliosync.examples.console;

import io.foliosync.imports.FolioSync;
import io.foliosync.imports.ImportCounts;
import io.foliosync.imports.ImportListener;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.SourceBusyException;
import io.foliosync.imports.SyncMode;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The syncs the console started: runs them one request at a time on a thread of its own (the orchestrator
 * runs the sources of one request in parallel and refuses a source that is already syncing), follows their
 * progress through the {@link ImportListener} FolioSync was built with, and pushes each change to the browsers
 * on the Jobs page as a server-sent event carrying the re-rendered progress panel.
 */
final class SyncJobs implements ImportListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncJobs.class);
    private static final int RECENT = 20;

    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "console-sync");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Progress> running = new LinkedHashMap<>();
    private final Deque<Finished> recent = new ArrayDeque<>();
    private final Set<SseClient> clients = new CopyOnWriteArraySet<>();
    private volatile FolioSync folio;
    private volatile Supplier<String> panel = () -> "";

    /** What a running job has done so far. */
    record Progress(String sourceId, long jobId, int attempt, int pages, ImportCounts total,
                    Optional<Estimate> estimate, Instant startedAt) {
        /** @return the time left as re-estimated at {@code now} from the pace observed ({@link Estimate#at}) */
        Optional<Duration> timeLeft(Instant now) {
            return estimate.map(e -> e.at(now));
        }

        Optional<Duration> timeLeft() {
            return timeLeft(Instant.now());
        }

        Progress withEstimate(Duration remaining, Instant now) {
            Estimate e = estimate.map(x -> x.next(remaining, now)).orElse(new Estimate(remaining, now, remaining, now));
            return new Progress(sourceId, jobId, attempt, pages, total, Optional.of(e), startedAt);
        }
    }

    /**
     * The source's estimates of the time left: the first and the latest, with when each came. A source's estimate
     * assumes a pace (its rate limit, the pages it expects); the console measures the real one: if the estimate
     * fell by 5 s while 15 s passed, the job runs at a third of the pace assumed, so what is left takes three times
     * as long as the source says.
     */
    record Estimate(Duration first, Instant firstAt, Duration latest, Instant latestAt) {
        Estimate next(Duration remaining, Instant now) {
            return new Estimate(first, firstAt, remaining, now);
        }

        /** @return the latest estimate scaled by the observed pace, less the time since it came; at least 1 s */
        Duration at(Instant now) {
            long passed = Duration.between(firstAt, latestAt).toMillis();
            long fell = first.minus(latest).toMillis();
            double slowdown = passed >= 2_000 && fell > 0 ? Math.min(20.0, Math.max(0.2, (double) passed / fell))
                    : 1.0;
            long left = (long) (latest.toMillis() * slowdown) - Duration.between(latestAt, now).toMillis();
            return Duration.ofMillis(Math.max(1_000, left));
        }
    }

    /** A job this console saw end, with its error in the user's words. */
    record Finished(String sourceId, String status, ImportCounts counts, Duration took, Optional<String> error,
                    Instant finishedAt) {
    }

    private volatile Runnable afterSync = () -> { };

    /** @param r what to do on the sync thread after each sync the console ran (warm what its pages show) */
    void afterSync(Runnable r) {
        this.afterSync = r;
    }

    void attach(FolioSync folio) {
        this.folio = folio;
    }

    /** @param renderer renders the progress panel from {@link #running()} and {@link #recent()} */
    void renderWith(Supplier<String> renderer) {
        this.panel = renderer;
    }

    /**
     * Starts a sync of the named sources (every one when empty) and returns at once.
     *
     * @throws IllegalArgumentException for an id that is neither a source nor a section
     */
    void start(List<String> ids) {
        FolioSync f = folio;
        ids.forEach(f::sourceIds); // refuses an unknown name here, while the browser waits
        runner.submit(() -> {
            try {
                if (ids.isEmpty()) {
                    f.syncAll();
                } else {
                    f.sync(ids, SyncMode.INCREMENTAL);
                }
                afterSync.run();
            } catch (SourceBusyException e) {
                finish(new Finished(Views.scrub(String.join(", ", ids)), "busy", ImportCounts.ZERO, Duration.ZERO,
                        Optional.of(e.getMessage()), Instant.now()));
            } catch (RuntimeException e) {
                LOG.warn("console sync of {} failed", ids.isEmpty() ? "every source" : ids, e);
                finish(new Finished(Views.scrub(String.join(", ", ids)), "failed", ImportCounts.ZERO, Duration.ZERO,
                        Optional.ofNullable(e.getMessage()), Instant.now()));
            }
        });
    }

    synchronized List<Progress> running() {
        return List.copyOf(running.values());
    }

    synchronized List<Finished> recent() {
        return List.copyOf(recent);
    }

    void addClient(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        client.sendEvent("progress", oneLine(panel.get()));
    }

    // ---- ImportListener: called on the orchestrator's threads

    @Override
    public void jobStarted(String sourceId, long jobId, int attempt) {
        synchronized (this) {
            running.put(sourceId, new Progress(sourceId, jobId, attempt, 0, ImportCounts.ZERO, Optional.empty(),
                    Instant.now()));
        }
        broadcast();
    }

    @Override
    public void pageFetched(String sourceId, long jobId, int page, int records) {
        synchronized (this) {
            running.computeIfPresent(sourceId, (k, p) -> new Progress(k, p.jobId(), p.attempt(), page, p.total(),
                    p.estimate(), p.startedAt()));
        }
        broadcast();
    }

    @Override
    public void timeLeft(String sourceId, long jobId, Duration estimate) {
        synchronized (this) {
            running.computeIfPresent(sourceId, (k, p) -> p.withEstimate(estimate, Instant.now()));
        }
        broadcast();
    }

    @Override
    public void recordsStored(String sourceId, long jobId, ImportCounts page, ImportCounts total) {
        synchronized (this) {
            running.computeIfPresent(sourceId, (k, p) -> new Progress(k, p.jobId(), p.attempt(), p.pages(), total,
                    p.estimate(), p.startedAt()));
        }
        broadcast();
    }

    @Override
    public void jobFinished(JobResult result) {
        synchronized (this) {
            running.remove(result.sourceId());
        }
        finish(new Finished(result.sourceId(), result.partiallyFailed() ? Pages.PARTIAL
                : result.status().name().toLowerCase(java.util.Locale.ROOT),
                result.counts(), Duration.between(result.startedAt(), result.finishedAt()), result.error(),
                result.finishedAt()));
    }

    private void finish(Finished f) {
        synchronized (this) {
            recent.addFirst(f);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        broadcast();
    }

    private void broadcast() {
        if (clients.isEmpty()) {
            return;
        }
        String html = oneLine(panel.get());
        for (SseClient c : new ArrayList<>(clients)) {
            if (c.terminated()) {
                clients.remove(c);
            } else {
                c.sendEvent("progress", html);
            }
        }
    }

    /** An event's data is one line here: a line break would end the {@code data:} field. */
    private static String oneLine(String html) {
        return html.replace("\r", "").replace("\n", " ");
    }

    @Override
    public void close() {
        runner.shutdown();
        try {
            if (!runner.awaitTermination(30, TimeUnit.SECONDS)) {
                runner.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clients.forEach(SseClient::close);
    }
}
