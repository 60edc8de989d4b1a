package io.foliosync.imports.schedule;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.imports.ImportOrchestrator;
import io.foliosync.imports.JobResult;
import io.foliosync.imports.SourceBusyException;
import io.foliosync.imports.config.DataSourcesConfig;
import io.foliosync.imports.config.SyncFrequency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs each source of an {@link ImportOrchestrator} on its own {@link SyncFrequency} (per source, else the
 * default), on a {@link ScheduledExecutorService}. A run that comes due while the source's previous run is still
 * going (or a manual sync of it is) is skipped, not queued. The scheduler thread never waits for a sync: jobs run
 * on the orchestrator's pool. {@link #close()} stops scheduling and waits for running syncs.
 *
 * <pre>{@code
 * SyncScheduler scheduler = SyncScheduler.builder(orchestrator).fromConfig(config).build();
 * scheduler.start();
 * ...
 * scheduler.close();
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    private final ImportOrchestrator orchestrator;
    private final Map<String, SyncFrequency> frequencies;
    private final Duration initialDelay;
    private final ScheduledExecutorService executor;
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private final Map<String, java.util.concurrent.CompletableFuture<JobResult>> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> runs = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> skipped = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile boolean stopped;

    private SyncScheduler(Builder b) {
        this.orchestrator = b.orchestrator;
        Map<String, SyncFrequency> f = new HashMap<>();
        for (String id : orchestrator.sourceIds()) {
            f.put(id, b.perSource.getOrDefault(id, b.defaultFrequency));
        }
        this.frequencies = Map.copyOf(f);
        this.initialDelay = b.initialDelay;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "foliosync-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(ImportOrchestrator orchestrator) {
        return new Builder(orchestrator);
    }

    /** @return each source's frequency */
    public Map<String, SyncFrequency> frequencies() {
        return frequencies;
    }

    /** Schedules every source whose frequency is not manual. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("the scheduler was already started");
        }
        started = true;
        frequencies.forEach((id, frequency) -> {
            runs.put(id, new AtomicLong());
            skipped.put(id, new AtomicLong());
            if (frequency.isManual()) {
                LOG.info("{}: sync_frequency manual, not scheduled", id);
                return;
            }
            long period = frequency.interval().toMillis();
            scheduled.add(executor.scheduleAtFixedRate(() -> tick(id), initialDelay.toMillis(), period,
                    TimeUnit.MILLISECONDS));
            LOG.info("{}: syncing every {}", id, frequency.interval());
        });
    }

    /** @return how many runs of the source were started */
    public long runs(String sourceId) {
        AtomicLong n = runs.get(sourceId);
        return n == null ? 0 : n.get();
    }

    /** @return how many runs of the source were skipped because it was still syncing */
    public long skippedRuns(String sourceId) {
        AtomicLong n = skipped.get(sourceId);
        return n == null ? 0 : n.get();
    }

    private void tick(String id) {
        if (stopped) {
            return;
        }
        var previous = running.get(id);
        if (previous != null && !previous.isDone()) {
            skipped.get(id).incrementAndGet();
            LOG.info("{}: previous sync still running, this run is skipped", id);
            return;
        }
        try {
            var future = orchestrator.syncAsync(id);
            running.put(id, future);
            runs.get(id).incrementAndGet();
            future.whenComplete((result, error) -> {
                if (error != null) {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof SourceBusyException) {
                        skipped.get(id).incrementAndGet();
                        LOG.info("{}: already syncing elsewhere, this run is skipped", id);
                    } else {
                        LOG.warn("{}: scheduled sync failed: {}", id, cause.toString());
                    }
                }
            });
        } catch (RuntimeException e) {
            // never let an exception cancel the periodic task
            LOG.warn("{}: cannot start a scheduled sync: {}", id, e.toString());
        }
    }

    /** Stops scheduling, then waits up to a minute for syncs that are running. Idempotent. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        scheduled.forEach(f -> f.cancel(false));
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
            for (var f : running.values()) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOG.debug("a sync ended with {}", e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("scheduler stopped");
    }

    /** Configures a {@link SyncScheduler}. */
    public static final class Builder {
        private final ImportOrchestrator orchestrator;
        private final Map<String, SyncFrequency> perSource = new HashMap<>();
        private SyncFrequency defaultFrequency = SyncFrequency.DAILY;
        private Duration initialDelay = Duration.ZERO;

        private Builder(ImportOrchestrator orchestrator) {
            this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
        }

        /**
         * Takes the global and each source's {@code sync_frequency} from the configuration, as the providers on
         * the class path lay it out; see {@link #fromConfig(DataSourcesConfig, java.util.Collection)}.
         */
        public Builder fromConfig(DataSourcesConfig config) {
            return fromConfig(config, DataSourcesConfig.discoverProviders());
        }

        /**
         * Takes the global and each source's {@code sync_frequency} from the configuration, where the provider
         * that built the source says its layout keeps it (per account, per section).
         */
        public Builder fromConfig(DataSourcesConfig config,
                                  java.util.Collection<io.foliosync.connectors.api.config.ConnectorProvider> providers) {
            defaultFrequency = config.global().syncFrequency();
            for (String id : orchestrator.sourceIds()) {
                perSource.put(id, config.syncFrequency(orchestrator.sectionOf(id), id, providers));
            }
            return this;
        }

        public Builder defaultFrequency(SyncFrequency v) {
            defaultFrequency = Objects.requireNonNull(v, "frequency");
            return this;
        }

        public Builder frequency(String sourceId, SyncFrequency v) {
            perSource.put(Objects.requireNonNull(sourceId, "sourceId"), Objects.requireNonNull(v, "frequency"));
            return this;
        }

        /** The wait before each source's first run (default zero: sync at start). */
        public Builder initialDelay(Duration v) {
            if (v.isNegative()) {
                throw new IllegalArgumentException("initialDelay must not be negative");
            }
            initialDelay = v;
            return this;
        }

        public SyncScheduler build() {
            return new SyncScheduler(this);
        }
    }
}
