package io.foliosync.imports;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Receives progress events of import jobs, for a progress bar or a log. Called from the job's worker
 * thread: implementations must be thread-safe and quick, and should not throw (an exception is logged and
 * ignored). Every method has an empty default.
 *
 * <p>Pages are stored one behind the fetching (page N + 1 is fetched and run through the pipeline while page N is
 * written): {@code pageFetched} of page N + 1 may come before {@code recordsStored} of page N; each page's
 * {@code recordsStored} comes after its {@code pageFetched}, and in page order.
 */
@API(status = STABLE, since = "0.1")
public interface ImportListener {

    /** A listener that ignores every event. */
    ImportListener NONE = new ImportListener() { };

    /**
     * @param sourceId the source
     * @param jobId    the {@code import_jobs.id}
     * @param attempt  1: a job runs once (the HTTP layer retries a call, the next sync a failed job); kept so that
     *                 existing listeners compile
     */
    default void jobStarted(String sourceId, long jobId, int attempt) {
    }

    /**
     * @param page    the page's number in this job, from 1
     * @param records the records on the page
     */
    default void pageFetched(String sourceId, long jobId, int page, int records) {
    }

    /**
     * @param page  the counts of the page just committed
     * @param total the job's counts so far
     */
    /**
     * After a page, how long the source's remaining history will take to read at the pace its rate limit allows
     * (see {@code Connector.remainingTime()}); sent only by sources that can tell.
     */
    default void timeLeft(String sourceId, long jobId, java.time.Duration estimate) {
    }

    default void recordsStored(String sourceId, long jobId, ImportCounts page, ImportCounts total) {
    }

    /** @param result how the job ended */
    default void jobFinished(JobResult result) {
    }
}
