package io.foliosync.connectors.ibkr.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.RequestSafety;
import io.foliosync.connectors.api.secrets.Secret;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.apiguardian.api.API;

/**
 * The Client Portal Web API endpoints the connector uses, answered as JSON trees ({@code Map}s, {@code List}s,
 * {@code BigDecimal} numbers). Status and network errors are typed by {@link ApiClient}.
 */
@API(status = INTERNAL, since = "0.1")
public final class ClientPortalClient {
    private static final RequestBody EMPTY_JSON = RequestBody.create("{}", MediaType.get("application/json"));
    private final ApiClient api;
    private final HttpUrl base;
    private final Optional<Secret> bearer;

    public ClientPortalClient(ApiClient api, HttpUrl base, Optional<Secret> bearer) {
        this.api = Objects.requireNonNull(api, "api");
        this.base = Objects.requireNonNull(base, "base");
        this.bearer = Objects.requireNonNull(bearer, "bearer");
    }

    /** The session state {@code /iserver/auth/status} reports. */
    public record AuthStatus(boolean authenticated, boolean connected, boolean competing, String message) {
    }

    public AuthStatus authStatus() {
        Map<String, Object> m = object(call(post("iserver/auth/status", RequestSafety.SAFE_READ)),
                "/iserver/auth/status");
        return new AuthStatus(bool(m.get("authenticated")), bool(m.get("connected")), bool(m.get("competing")),
                m.get("message") == null ? "" : String.valueOf(m.get("message")));
    }

    public void reauthenticate() {
        call(post("iserver/reauthenticate", RequestSafety.NEVER_RETRY));
    }

    public void tickle() {
        call(post("tickle", RequestSafety.SAFE_READ));
    }

    public List<Map<String, Object>> accounts() {
        return list(call(get("portfolio/accounts")), "/portfolio/accounts");
    }

    public List<Map<String, Object>> positions(String accountId, int page) {
        return list(call(get("portfolio/" + accountId + "/positions/" + page)), "/portfolio/{accountId}/positions");
    }

    public Map<String, Object> ledger(String accountId) {
        return object(call(get("portfolio/" + accountId + "/ledger")), "/portfolio/{accountId}/ledger");
    }

    public List<Map<String, Object>> trades(int days) {
        HttpUrl url = base.newBuilder().addPathSegments("iserver/account/trades")
                .addQueryParameter("days", Integer.toString(days)).build();
        return list(call(request(url).get().build()), "/iserver/account/trades");
    }

    public Map<String, Object> contractInfo(String conid) {
        return object(call(get("iserver/contract/" + conid + "/info")), "/iserver/contract/{conid}/info");
    }

    public HttpUrl base() {
        return base;
    }

    private Object call(Request request) {
        return api.executeTree(request);
    }

    private Request get(String path) {
        return request(base.newBuilder().addPathSegments(path).build()).get().build();
    }

    private Request post(String path, RequestSafety safety) {
        return safety.tag(request(base.newBuilder().addPathSegments(path).build()).post(EMPTY_JSON).build());
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json");
        bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t.reveal()));
        return b;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object tree, String endpoint) {
        if (tree instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw DataFetchException.malformed(api.source(), endpoint, null, null,
                "expected a JSON object but got " + kind(tree), null);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list(Object tree, String endpoint) {
        if (tree instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof Map)) {
                    throw DataFetchException.malformed(api.source(), endpoint, "[" + i + "]", null,
                            "expected a JSON object but got " + kind(l.get(i)), null);
                }
            }
            return (List<Map<String, Object>>) l;
        }
        if (tree instanceof Map<?, ?> m && m.isEmpty()) {
            return List.of();
        }
        throw DataFetchException.malformed(api.source(), endpoint, null, null,
                "expected a JSON array but got " + kind(tree), null);
    }

    private static String kind(Object o) {
        return o == null ? "null" : o instanceof Map ? "an object" : o instanceof List ? "an array"
                : o instanceof BigDecimal ? "a number" : o instanceof String ? "a string" : o.getClass().getSimpleName();
    }

    private static boolean bool(Object o) {
        return o instanceof Boolean b ? b : o != null && Boolean.parseBoolean(String.valueOf(o));
    }
}
