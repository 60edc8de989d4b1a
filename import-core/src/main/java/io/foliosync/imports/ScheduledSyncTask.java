package io.foliosync.imports;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one db-scheduler task of FolioSync: an instance per (portfolio, source), id {@code <portfolio>/<source>},
 * data the period in seconds. Each execution syncs the source once and reschedules itself to the next period's
 * start; db-scheduler makes sure one instance of the cluster runs it, and revives it on another instance when the
 * one running it stops heartbeating.
 */
final class ScheduledSyncTask {
    static final String NAME = "foliosync-sync";
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledSyncTask.class);
    private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    private ScheduledSyncTask() {
    }

    /** Portfolio ids hold no '/', so the first one splits the id. */
    static String instanceId(String portfolioId, String sourceId) {
        return portfolioId + "/" + sourceId;
    }

    static CustomTask<Integer> create(Portfolios portfolios, Clock clock) {
        return Tasks.custom(NAME, Integer.class)
                // a sync that threw (its source cannot be built, the database went away): try again next period,
                // not in a loop; a sync that ran and failed is a completed execution with a failed job
                .onFailure((ExecutionComplete complete, com.github.kagkarlsson.scheduler.task.ExecutionOperations<Integer> ops) -> {
                    Integer seconds = (Integer) complete.getExecution().taskInstance.getData();
                    Duration period = Duration.ofSeconds(seconds);
                    ops.reschedule(complete, SyncPeriods.after(complete.getExecution().getExecutionTime(), period,
                            clock.instant()));
                })
                // a dead instance's sync goes back to its own period start, not to "now": due executions are claimed
                // oldest first, so it is taken over at the next poll instead of queueing behind the period's others,
                // and it still counts for (and is guarded as) the period it was scheduled for
                .onDeadExecution((ExecutionComplete complete,
                                  com.github.kagkarlsson.scheduler.task.ExecutionOperations<Integer> ops) -> {
                    LOG.warn("{}: its instance {} stopped heartbeating; running it here", complete.getExecution()
                            .getId(), complete.getExecution().pickedBy);
                    ops.reschedule(complete, complete.getExecution().getExecutionTime());
                })
                .execute((instance, context) -> {
                    String id = instance.getId();
                    int slash = id.indexOf('/');
                    String portfolio = id.substring(0, slash);
                    String source = id.substring(slash + 1);
                    Duration period = Duration.ofSeconds(instance.getData());
                    Instant scheduled = context.getExecution().getExecutionTime();
                    Portfolios.ScheduledOutcome outcome = portfolios.syncRegistered(portfolio, source,
                            SyncPeriods.startOf(scheduled, period));
                    if (outcome == Portfolios.ScheduledOutcome.GONE) {
                        LOG.info("{}: no longer registered, its schedule is removed", id);
                        return (CompletionHandler<Integer>) (complete, ops) -> ops.remove();
                    }
                    if (outcome == Portfolios.ScheduledOutcome.BUSY) {
                        Instant retry = clock.instant().plus(BUSY_RETRY);
                        return (CompletionHandler<Integer>) (complete, ops) -> ops.reschedule(complete, retry);
                    }
                    Instant next = SyncPeriods.after(scheduled, period, clock.instant());
                    return (CompletionHandler<Integer>) (complete, ops) -> ops.reschedule(complete, next);
                });
    }
}
