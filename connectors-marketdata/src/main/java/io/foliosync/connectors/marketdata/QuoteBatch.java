package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ConnectorException;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * What one provider answered for a batch of symbols. A symbol in neither map has no data at this provider.
 *
 * @param quotes   the symbols the provider priced
 * @param failures the symbols whose call failed (rate limit, network, malformed answer), with the error
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record QuoteBatch(Map<String, Quote> quotes, Map<String, ConnectorException> failures) {
    public QuoteBatch {
        quotes = Map.copyOf(quotes);
        failures = Map.copyOf(failures);
    }

    public static QuoteBatch empty() {
        return new QuoteBatch(Map.of(), Map.of());
    }
}
