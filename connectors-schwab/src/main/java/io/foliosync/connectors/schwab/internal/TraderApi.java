package io.foliosync.connectors.schwab.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.http.ApiClient;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.apiguardian.api.API;

/**
 * The Trader API endpoints the connector reads. Every call carries a bearer token from the
 * {@link TokenManager}; a 401 triggers one refresh and one retry, and a second refusal becomes an
 * {@link AuthenticationException} that says to re-authorize, never a raw 401.
 */
@API(status = INTERNAL, since = "0.1")
public final class TraderApi {
    /** The transaction types requested: every type the API documents (the parameter is required). */
    public static final String ALL_TYPES = String.join(",", "TRADE", "RECEIVE_AND_DELIVER", "DIVIDEND_OR_INTEREST",
            "ACH_RECEIPT", "ACH_DISBURSEMENT", "CASH_RECEIPT", "CASH_DISBURSEMENT", "ELECTRONIC_FUND", "WIRE_OUT",
            "WIRE_IN", "JOURNAL", "MEMORANDUM", "MARGIN_CALL", "MONEY_MARKET", "SMA_ADJUSTMENT");
    private static final DateTimeFormatter API_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ApiClient api;
    private final HttpUrl baseUrl;
    private final TokenManager tokens;

    public TraderApi(ApiClient api, HttpUrl baseUrl, TokenManager tokens) {
        this.api = Objects.requireNonNull(api, "api");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /** One account: its plain number (never logged in full) and the hash every other call uses. */
    public record AccountRef(String accountNumber, String hash) {
        public String masked() {
            return AccountNumbers.mask(accountNumber);
        }

        @Override
        public String toString() {
            return "AccountRef[" + masked() + "]";
        }
    }

    /** {@code GET /trader/v1/accounts/accountNumbers}. */
    public List<AccountRef> accountNumbers() {
        HttpUrl url = url("trader/v1/accounts/accountNumbers").build();
        List<AccountRef> refs = new ArrayList<>();
        int i = 0;
        for (Object o : list(get(url), url)) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("accountNumber") instanceof String number)
                    || !(m.get("hashValue") instanceof String hash) || hash.isBlank()) {
                throw DataFetchException.malformed(SchwabIds.SOURCE, "GET " + url.encodedPath(), "#" + i,
                        "accountNumber/hashValue", "missing", null);
            }
            refs.add(new AccountRef(number, hash));
            i++;
        }
        return refs;
    }

    /** {@code GET /trader/v1/accounts?fields=positions}: every account with positions and balances. */
    public List<Object> accountsWithPositions() {
        HttpUrl url = url("trader/v1/accounts").addQueryParameter("fields", "positions").build();
        return list(get(url), url);
    }

    /**
     * {@code GET /trader/v1/accounts/{hash}/transactions} for {@code [start, end]}.
     */
    public List<Object> transactions(String hash, Instant start, Instant end) {
        HttpUrl url = url("trader/v1/accounts").addPathSegment(hash).addPathSegment("transactions")
                .addQueryParameter("startDate", API_TIME.format(start))
                .addQueryParameter("endDate", API_TIME.format(end))
                .addQueryParameter("types", ALL_TYPES)
                .build();
        return list(get(url), url);
    }

    /** @return the endpoint text for messages: path with the account hash left out */
    public static String endpointOf(HttpUrl url) {
        return "GET " + url.encodedPath().replaceAll("/accounts/[^/]{20,}/", "/accounts/{hash}/");
    }

    private HttpUrl.Builder url(String path) {
        return baseUrl.newBuilder().addPathSegments(path);
    }

    private Object get(HttpUrl url) {
        String token = tokens.accessToken();
        try {
            return api.executeTree(request(url, token));
        } catch (AuthenticationException first) {
            String retryToken = tokens.refreshAfterRejection(token);
            try {
                return api.executeTree(request(url, retryToken));
            } catch (AuthenticationException second) {
                throw new AuthenticationException(SchwabIds.SOURCE, endpointOf(url)
                        + ": Schwab refused a freshly refreshed access token (the app's access was revoked or "
                        + "its approval is pending): re-authorize: " + SchwabIds.REAUTHORIZE_HOW, second);
            }
        }
    }

    private static Request request(HttpUrl url, String token) {
        return new Request.Builder().url(url).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").get().build();
    }

    private static List<Object> list(Object tree, HttpUrl url) {
        if (tree instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (tree instanceof Map<?, ?> m) {
            return new ArrayList<>(List.of(m)); // a single object where a list was expected
        }
        throw DataFetchException.malformed(SchwabIds.SOURCE, endpointOf(url), null, null,
                "expected a JSON array", null);
    }
}
