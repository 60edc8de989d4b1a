package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.RequestSafety;
import io.foliosync.connectors.api.secrets.Secret;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.apiguardian.api.API;

/**
 * Schwab's OAuth2 authorization-code endpoints: {@code GET /v1/oauth/authorize} (in the browser) and
 * {@code POST /v1/oauth/token} with HTTP Basic client authentication. Token requests are one-time
 * exchanges and are never retried.
 */
@API(status = INTERNAL, since = "0.1")
public final class OAuthClient {
    private static final String TOKEN_PATH = "v1/oauth/token";
    private final ApiClient api;
    private final HttpUrl baseUrl;
    private final String clientId;
    private final Secret clientSecret;
    private final String redirectUri;
    private final Clock clock;

    public OAuthClient(ApiClient api, HttpUrl baseUrl, String clientId, Secret clientSecret, String redirectUri,
                       Clock clock) {
        this.api = Objects.requireNonNull(api, "api");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.redirectUri = Objects.requireNonNull(redirectUri, "redirectUri");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String redirectUri() {
        return redirectUri;
    }

    /** @return the URL the user opens in a browser to authorize FolioSync */
    public HttpUrl authorizeUrl(String state) {
        return baseUrl.newBuilder().addPathSegments("v1/oauth/authorize")
                .addQueryParameter("response_type", "code")
                .addQueryParameter("client_id", clientId)
                .addQueryParameter("redirect_uri", redirectUri)
                .addQueryParameter("state", state)
                .build();
    }

    /** Exchanges an authorization code (valid for about 30 seconds) for tokens. */
    public StoredTokens exchangeCode(String code) {
        FormBody form = new FormBody.Builder()
                .add("grant_type", "authorization_code")
                .add("code", code)
                .add("redirect_uri", redirectUri)
                .build();
        Instant now = clock.instant();
        Map<?, ?> json = post(form, "the authorization code was refused (it is valid for about 30 seconds and "
                + "only once): authorize again and let the exchange run at once");
        return new StoredTokens(text(json, "access_token"), now.plus(expiresIn(json)), text(json, "refresh_token"),
                now, Optional.of(now));
    }

    /**
     * Gets a new access token with the refresh token. The refresh token's 7 days keep counting from the
     * original authorization.
     */
    public StoredTokens refresh(StoredTokens current) {
        FormBody form = new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", current.refreshToken())
                .build();
        Instant now = clock.instant();
        Map<?, ?> json = post(form, "the refresh token was refused (expired or revoked): re-authorize: "
                + SchwabIds.REAUTHORIZE_HOW);
        Object refreshed = json.get("refresh_token");
        String refreshToken = refreshed instanceof String s && !s.isBlank() ? s : current.refreshToken();
        return new StoredTokens(text(json, "access_token"), now.plus(expiresIn(json)), refreshToken,
                current.authorizedAt(), Optional.of(now));
    }

    private Map<?, ?> post(FormBody form, String refusedMessage) {
        Request request = RequestSafety.NEVER_RETRY.tag(new Request.Builder()
                .url(baseUrl.newBuilder().addPathSegments(TOKEN_PATH).build())
                .header("Authorization", Credentials.basic(clientId, clientSecret.reveal(), StandardCharsets.UTF_8))
                .post(form)
                .build());
        Object tree;
        try {
            tree = api.executeTree(request);
        } catch (AuthenticationException e) {
            throw new AuthenticationException(SchwabIds.SOURCE, "POST /" + TOKEN_PATH + ": " + refusedMessage, e);
        } catch (HttpStatusException e) {
            if (e.status() == 400) {
                // OAuth servers answer invalid_grant with 400.
                throw new AuthenticationException(SchwabIds.SOURCE, "POST /" + TOKEN_PATH + ": " + refusedMessage, e);
            }
            throw e;
        }
        if (!(tree instanceof Map<?, ?> m)) {
            throw DataFetchException.malformed(SchwabIds.SOURCE, "POST /" + TOKEN_PATH, null, null,
                    "expected a JSON object", null);
        }
        return m;
    }

    private static String text(Map<?, ?> json, String key) {
        Object v = json.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw DataFetchException.malformed(SchwabIds.SOURCE, "POST /" + TOKEN_PATH, "token response", key,
                    "missing or empty", null);
        }
        return s;
    }

    private static Duration expiresIn(Map<?, ?> json) {
        Object v = json.get("expires_in");
        if (v instanceof BigDecimal d && d.signum() > 0) {
            return Duration.ofSeconds(d.longValue());
        }
        return Duration.ofMinutes(30); // Schwab's documented access-token lifetime
    }
}
