package io.foliosync.imports;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How one instance of a {@link ClusteredSync} takes part in the cluster. Instances that die are noticed by their
 * heartbeats: an execution whose heartbeat is older than {@code heartbeatInterval × missedHeartbeats} is dead and
 * another instance runs it again.
 *
 * @param instanceName     this instance's name in {@code scheduled_tasks.picked_by}, unique in the cluster
 * @param threads          syncs this instance runs at once
 * @param pollingInterval  how often it looks for due syncs
 * @param heartbeatInterval how often it marks its running syncs alive
 * @param missedHeartbeats heartbeats missed before another instance takes a sync over
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ClusterSettings(String instanceName, int threads, Duration pollingInterval,
                              Duration heartbeatInterval, int missedHeartbeats) {
    public ClusterSettings {
        Objects.requireNonNull(instanceName, "instanceName");
        Objects.requireNonNull(pollingInterval, "pollingInterval");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (instanceName.isBlank()) {
            throw new IllegalArgumentException("instanceName must not be blank");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
        }
        if (pollingInterval.toMillis() < 10 || heartbeatInterval.toMillis() < 10) {
            throw new IllegalArgumentException("pollingInterval and heartbeatInterval must be at least 10 ms but were "
                    + pollingInterval + " and " + heartbeatInterval);
        }
        if (missedHeartbeats < 2) {
            throw new IllegalArgumentException("missedHeartbeats must be at least 2 but was " + missedHeartbeats);
        }
    }

    /** Eight threads, polling every 5 s, a heartbeat every 30 s, dead after 4 missed (2 minutes). */
    public static ClusterSettings defaults(String instanceName) {
        return new ClusterSettings(instanceName, 8, Duration.ofSeconds(5), Duration.ofSeconds(30), 4);
    }

    public ClusterSettings withThreads(int n) {
        return new ClusterSettings(instanceName, n, pollingInterval, heartbeatInterval, missedHeartbeats);
    }

    public ClusterSettings withPollingInterval(Duration d) {
        return new ClusterSettings(instanceName, threads, d, heartbeatInterval, missedHeartbeats);
    }

    public ClusterSettings withHeartbeat(Duration interval, int missed) {
        return new ClusterSettings(instanceName, threads, pollingInterval, interval, missed);
    }

    /** @return how long a dead instance's syncs wait before another instance takes them over */
    public Duration deadAfter() {
        return heartbeatInterval.multipliedBy(missedHeartbeats);
    }
}
