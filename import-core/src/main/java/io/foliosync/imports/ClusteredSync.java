package io.foliosync.imports;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import java.util.Objects;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of a cluster that syncs every registered portfolio source once per period, on PostgreSQL with
 * db-scheduler. Any number of instances (processes, hosts behind a load balancer) start one each on the same
 * database: an instance claims a due sync under a row lock ({@code SELECT … FOR UPDATE SKIP LOCKED} on
 * {@code scheduled_tasks}), so each runs on exactly one; it heartbeats while the sync runs, and when an instance
 * dies mid-sync another one runs that sync again once the heartbeat is {@link ClusterSettings#deadAfter()} old.
 * The re-run is safe: imports are idempotent, the dead instance's job is marked interrupted and its cursor never
 * moved.
 *
 * <pre>{@code
 * try (FolioSync fs = FolioSync.builder().database(postgres).build();
 *      ClusteredSync cluster = fs.cluster(ClusterSettings.defaults(hostName))) {
 *     cluster.start();
 *     ... serve until shutdown
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ClusteredSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredSync.class);

    private final Scheduler scheduler;
    private final ClusterSettings settings;
    private final Portfolios portfolios;
    private boolean started;
    private boolean closed;

    ClusteredSync(Portfolios portfolios, ClusterSettings settings) {
        this.portfolios = portfolios;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Scheduler.create(portfolios.database().dataSource(), portfolios.task())
                .schedulerName(new SchedulerName.Fixed(settings.instanceName()))
                .threads(settings.threads())
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeatInterval())
                .missedHeartbeatsLimit(settings.missedHeartbeats())
                // claim with row locks: instances never race for the same rows, each takes what it can run
                .pollUsingLockAndFetch(0.5, 1.0)
                .build();
    }

    /** Starts claiming due syncs. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("this ClusteredSync is closed");
        }
        if (!started) {
            started = true;
            portfolios.scheduleMissing();
            scheduler.start();
            LOG.info("cluster instance {} started: {} threads, dead after {}", settings.instanceName(),
                    settings.threads(), settings.deadAfter());
        }
    }

    /** Stops claiming and waits for the running syncs to end. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (started) {
                scheduler.stop();
            }
        }
    }
}
