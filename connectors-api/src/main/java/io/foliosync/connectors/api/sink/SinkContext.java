package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/** What import-core keeps for a sink between deliveries, in the portfolio database. */
@API(status = EXPERIMENTAL, since = "0.1")
public interface SinkContext {

    /**
     * @return the sink's map from a record it delivered to the id the destination gave it (a Ghostfolio activity
     *         id), for the account being delivered. Each {@link RemoteIds#put} is stored at once, in its own
     *         transaction, so what a sink recorded before failing is kept.
     */
    RemoteIds remoteIds();

    /** One account's record id → remote id map of one sink. */
    interface RemoteIds {
        /** @return the remote id and content hash stored for {@code recordId} */
        Optional<RemoteId> get(String recordId);

        /** @return every entry of the account, by record id */
        Map<String, RemoteId> all();

        /** Stores (or replaces) the entry of {@code recordId}. */
        void put(String recordId, RemoteId remote);

        /** Removes the entry of {@code recordId}; does nothing when there is none. */
        void remove(String recordId);
    }

    /**
     * @param id          the destination's id for the record
     * @param contentHash the {@link ChangedRecord#contentHash()} it was sent with
     */
    record RemoteId(String id, String contentHash) {
        public RemoteId {
            Checks.text("RemoteId", "id", id);
            Checks.text("RemoteId", "contentHash", contentHash);
        }
    }
}
