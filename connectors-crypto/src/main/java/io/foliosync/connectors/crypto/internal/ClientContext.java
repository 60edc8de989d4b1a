package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.secrets.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.apiguardian.api.API;

/**
 * What an exchange client needs: where the exchange is, the key, and the shared call plumbing.
 *
 * @param exchangeId the configured id, used as source in records and errors
 * @param baseUrl    the exchange's REST root, without a trailing slash
 * @param http       OkHttp client (retry, shared rate limiter, redacting logs) for calls FolioSync makes itself
 * @param calls      limiter, retry and error mapping around XChange calls
 * @param fundingOverlap how far before {@code since} deposit and withdrawal history is read again
 * @param sleeper    how waits are made (replaced in tests)
 * @param markets    markets to read trades of besides those derived from the account (Binance), such as
 *                   {@code BTCUSDT}
 */
@API(status = INTERNAL, since = "0.1")
public record ClientContext(String exchangeId, HttpUrl baseUrl, Secret apiKey, Secret apiSecret,
                            Optional<Secret> passphrase, boolean sandbox, OkHttpClient http, Calls calls,
                            Clock clock, Duration fundingOverlap, io.foliosync.connectors.api.http.Sleeper sleeper,
                            java.util.List<String> markets) {

    /**
     * @return the query deposit and withdrawal history is read with: {@code since} moved back by the overlap,
     *         so that transfers pending at the last sync are seen again once final
     */
    public io.foliosync.connectors.api.TransactionQuery fundingQuery(io.foliosync.connectors.api.TransactionQuery q) {
        if (q.since().isEmpty() || fundingOverlap.isZero()) {
            return q;
        }
        return new io.foliosync.connectors.api.TransactionQuery(q.accountId(),
                Optional.of(q.since().get().minus(fundingOverlap)), q.until());
    }

    /** @return the base URL as XChange wants it: scheme, host, port and path, no trailing slash */
    public String xchangeUri() {
        String s = baseUrl.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
