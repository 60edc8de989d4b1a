package io.foliosync.examples.sources;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.schwab.SchwabCsvConnector;
import org.apiguardian.api.API;

/**
 * Which stored records a source id of the configuration ({@code sync --source}'s ids) stands for, so that every
 * command and page that takes a source takes the same ids.
 */
@API(status = INTERNAL, since = "0.1")
public final class Sources {
    private Sources() {
    }

    /**
     * Whether a stored record is the source's: an exchange's records are stored under its section with the exchange
     * as the account ({@code crypto_exchanges}/{@code kraken}), a gateway account's under its provider
     * ({@code ibkr}/{@code U123} for {@code ibkr-U123}), a single-account source's under its own id; the store's
     * name itself ({@code crypto_exchanges}) matches too.
     *
     * @param namespace the store's source name of the record
     * @param accountId the record's account
     * @param sourceId  a source id as {@code sync --source} takes it, or a store name
     */
    public static boolean belongsTo(String namespace, String accountId, String sourceId) {
        // Schwab's CSV fallback stores its rows under "schwab" with "csv:"-prefixed accounts beside the API's
        boolean csvAccount = accountId.startsWith("csv:");
        if (namespace.equals("schwab")) {
            return sourceId.equals(SchwabCsvConnector.SOURCE_ID) ? csvAccount
                    : sourceId.equals(namespace) || !csvAccount && sourceId.equals(accountId);
        }
        return sourceId.equals(namespace) || sourceId.equals(accountId)
                || sourceId.equals(namespace + "-" + accountId);
    }
}
