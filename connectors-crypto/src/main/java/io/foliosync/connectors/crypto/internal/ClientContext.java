package io.foliosync.connectors.crypto.internal;

import io.foliosync.connectors.api.secrets.Secret;
import java.time.Clock;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * What an exchange client needs: where the exchange is, the key, and the shared call plumbing.
 *
 * @param exchangeId the configured id, used as source in records and errors
 * @param baseUrl    the exchange's REST root, without a trailing slash
 * @param http       OkHttp client (retry, shared rate limiter, redacting logs) for calls FolioSync makes itself
 * @param calls      limiter, retry and error mapping around XChange calls
 */
public record ClientContext(String exchangeId, HttpUrl baseUrl, Secret apiKey, Secret apiSecret,
                            Optional<Secret> passphrase, boolean sandbox, OkHttpClient http, Calls calls,
                            Clock clock) {

    /** @return the base URL as XChange wants it: scheme, host, port and path, no trailing slash */
    public String xchangeUri() {
        String s = baseUrl.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
