package io.foliosync.connectors.api.sink;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;


/**
 * One synced account, as a sink sees it.
 *
 * @param sourceId  the source that synced it ({@code kraken}, {@code ibkr-flex-1}); never blank
 * @param namespace the {@code source_name} its stored rows carry ({@code crypto_exchanges}, {@code ibkr})
 * @param accountId the account's id at its institution; with the namespace, the account's identity
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record SinkAccount(String sourceId, String namespace, String accountId) {
    private static final String R = "SinkAccount";

    public SinkAccount {
        Checks.text(R, "sourceId", sourceId);
        Checks.text(R, "namespace", namespace);
        Checks.text(R, "accountId", accountId);
    }

    /** @return {@code sourceId/accountId}: how messages and the configuration's account mapping name it */
    public String label() {
        return sourceId + "/" + accountId;
    }
}
