package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Delivers synced accounts to one destination (a Ghostfolio server, a folder). Built by its {@link SinkProvider}
 * from the {@code sinks:} section of {@code data_sources.yaml}, or by an application and registered on the
 * orchestrator's builder.
 *
 * <p>import-core calls {@link #deliver} one account at a time, from the thread that synced the account and while
 * it holds that account's lock, so two deliveries of the same account never overlap; deliveries of different
 * accounts may run at once.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Sink extends AutoCloseable {

    /**
     * @return the sink's id, unique among the sinks: its key under {@code sinks:}. Cursors and the
     *         {@link SinkContext#remoteIds() remote id map} are kept under it, so renaming a sink starts it afresh.
     */
    String id();

    /**
     * @param account one synced account, never null
     * @return whether this sink takes that account (a sink configured for some accounts only); default every one.
     *         An account it does not take keeps no cursor and is delivered from its beginning once it is taken.
     */
    default boolean accepts(SinkAccount account) {
        return true;
    }

    /**
     * Delivers one account's changes. Called with a batch of at most {@link AccountChanges#MAX_RECORDS} records;
     * an account with more changes gets several calls in order, the cursor moving after each one that returns.
     *
     * @param changes the records new or changed since this sink's cursor, oldest change first, and the holdings
     *                snapshot when newer than the last one delivered; never null, possibly without records
     * @param context what the sink may keep between deliveries; never null
     * @return what was delivered, and each record the destination refused with its reason. A refused record is
     *         not handed again until it changes at its source (or the sink is reset): the destination said no,
     *         and asking again would get the same answer
     * @throws SinkException (or any runtime exception) when the destination could not take the batch: nothing
     *                       of it counts as delivered, the cursor stays, and the next sync hands it again. A sink
     *                       that may have delivered part of a batch before failing keeps that part in
     *                       {@link SinkContext#remoteIds()}, so handing it again sends nothing twice
     */
    Delivery deliver(AccountChanges changes, SinkContext context);

    /** Releases what the sink holds (connections, files); called once when FolioSync closes. */
    @Override
    default void close() {
    }
}
