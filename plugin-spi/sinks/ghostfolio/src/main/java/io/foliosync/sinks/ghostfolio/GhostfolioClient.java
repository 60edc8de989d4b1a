package io.foliosync.sinks.ghostfolio;

import com.squareup.moshi.JsonWriter;
import io.foliosync.connectors.api.json.Json;
import io.foliosync.connectors.api.secrets.CredentialStore;
import io.foliosync.connectors.api.secrets.Secret;
import io.foliosync.connectors.api.sink.SinkException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * Ghostfolio's REST API, the calls the sink makes. Logs in with the user's security token
 * ({@code POST /api/v1/auth/anonymous}) once and keeps the JWT it returns (valid for months) in the encrypted
 * credential store, since Ghostfolio throttles logins to about ten a minute; a 401 logs in again, once.
 */
final class GhostfolioClient {
    private static final MediaType JSON = MediaType.get("application/json");

    private final String sinkId;
    private final String base;
    private final OkHttpClient http;
    private final Supplier<Secret> token;
    private final CredentialStore credentials;
    private String jwt;

    GhostfolioClient(String sinkId, String baseUrl, OkHttpClient http, Supplier<Secret> token,
                     CredentialStore credentials) {
        this.sinkId = sinkId;
        this.base = baseUrl;
        this.http = http;
        this.token = token;
        this.credentials = credentials;
    }

    /** The owner the JWT is kept under in the credential store. */
    static String sessionOwner(String sinkId) {
        return "sink/" + sinkId + "/session";
    }

    /** An account of the user: its id, name and currency. */
    record GfAccount(String id, String name, String currency) {
    }

    List<GfAccount> accounts() {
        Map<String, Object> body = object(call("GET", "/api/v1/account", null), "/api/v1/account");
        List<GfAccount> out = new ArrayList<>();
        for (Object o : list(body.get("accounts"))) {
            if (o instanceof Map<?, ?> a) {
                out.add(new GfAccount(String.valueOf(a.get("id")), String.valueOf(a.get("name")),
                        String.valueOf(a.get("currency"))));
            }
        }
        return out;
    }

    GfAccount createAccount(String name, String currency) {
        String json = write(w -> {
            w.beginObject();
            w.name("balance").value(0);
            w.name("currency").value(currency);
            w.name("name").value(name);
            w.name("platformId").nullValue();
            w.endObject();
        });
        Map<String, Object> a = object(call("POST", "/api/v1/account", json), "/api/v1/account");
        return new GfAccount(String.valueOf(a.get("id")), name, currency);
    }

    /** Sets an account's cash balance ({@code PUT /api/v1/account/:id}, which takes the whole account). */
    void updateBalance(GfAccount account, BigDecimal balance) {
        String json = write(w -> {
            w.beginObject();
            w.name("balance").value(balance);
            w.name("currency").value(account.currency());
            w.name("id").value(account.id());
            w.name("name").value(account.name());
            w.name("platformId").nullValue();
            w.endObject();
        });
        call("PUT", "/api/v1/account/" + account.id(), json);
    }

    /** An activity as the import answered it: its id (absent for one skipped as a duplicate) and comment. */
    record Imported(Optional<String> id, Optional<String> comment, boolean duplicate) {
    }

    /**
     * @throws GhostfolioValidationException when Ghostfolio refused the request (nothing of it was stored)
     */
    List<Imported> importActivities(String accountId, List<Activity> activities) {
        String json = write(w -> {
            w.beginObject();
            w.name("activities").beginArray();
            for (Activity a : activities) {
                writeActivity(w, a, accountId, Optional.empty());
            }
            w.endArray();
            w.endObject();
        });
        Map<String, Object> body = object(call("POST", "/api/v1/import", json), "/api/v1/import");
        List<Imported> out = new ArrayList<>();
        for (Object o : list(body.get("activities"))) {
            if (o instanceof Map<?, ?> a) {
                out.add(new Imported(Optional.ofNullable(a.get("id")).map(String::valueOf),
                        Optional.ofNullable(a.get("comment")).map(String::valueOf), a.get("error") != null));
            }
        }
        return out;
    }

    /**
     * Corrects an activity in place, account included.
     *
     * @return false when Ghostfolio has no such activity (the user deleted it there)
     * @throws GhostfolioValidationException when Ghostfolio refused the correction
     */
    boolean updateActivity(String activityId, String accountId, Activity a) {
        String json = write(w -> writeActivity(w, a, accountId, Optional.of(activityId)));
        try {
            call("PUT", "/api/v1/activities/" + activityId, json);
            return true;
        } catch (NotFound e) {
            return false;
        }
    }

    /** @return the user's activities' ids by comment, for those with a comment */
    Map<String, String> activityIdsByComment() {
        Map<String, Object> body = object(call("GET", "/api/v1/activities", null), "/api/v1/activities");
        Map<String, String> out = new LinkedHashMap<>();
        for (Object o : list(body.get("activities"))) {
            if (o instanceof Map<?, ?> a && a.get("comment") != null && a.get("id") != null) {
                out.put(String.valueOf(a.get("comment")), String.valueOf(a.get("id")));
            }
        }
        return out;
    }

    private static void writeActivity(JsonWriter w, Activity a, String accountId, Optional<String> id)
            throws IOException {
        // Ghostfolio's DTOs take exactly these properties (any other is refused) with numbers as JSON numbers
        w.beginObject();
        w.name("accountId").value(accountId);
        w.name("comment").value(a.comment());
        w.name("currency").value(a.currency());
        w.name("dataSource").value(a.dataSource());
        w.name("date").value(a.date().toString());
        w.name("fee").value(a.fee());
        if (id.isPresent()) {
            w.name("id").value(id.get());
        }
        w.name("quantity").value(a.quantity());
        w.name("symbol").value(a.symbol());
        w.name("type").value(a.type());
        w.name("unitPrice").value(a.unitPrice());
        w.endObject();
    }

    /** A 404: the caller decides what a missing resource means. */
    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound() {
            super(null, null, false, false);
        }
    }

    private String call(String method, String path, String json) {
        String session = session();
        Response r = null;
        try {
            r = send(method, path, json, session);
            if (r.code() == 401) {
                // the kept JWT expired (or the server's secret changed): one fresh login, then the call again
                r.close();
                jwt = null;
                credentials.delete(sessionOwner(sinkId));
                r = send(method, path, json, session());
            }
            String body = r.body().string();
            if (r.isSuccessful()) {
                return body;
            }
            if (r.code() == 404) {
                throw new NotFound();
            }
            if (r.code() == 400) {
                throw new GhostfolioValidationException(sinkId, method + " " + path, messages(body));
            }
            throw new SinkException(sinkId, method + " " + path + " answered HTTP " + r.code()
                    + (r.code() == 403 ? " (the token may lack the permission, or the account belong to another "
                    + "user)" : ""));
        } catch (IOException e) {
            throw new SinkException(sinkId, "cannot reach " + base + " (" + method + " " + path + "): "
                    + e.getMessage(), e);
        } finally {
            if (r != null) {
                r.close();
            }
        }
    }

    private Response send(String method, String path, String json, String session) throws IOException {
        Request.Builder b = new Request.Builder().url(base + path).header("Authorization", "Bearer " + session);
        b.method(method, json == null ? null : RequestBody.create(json, JSON));
        return http.newCall(b.build()).execute();
    }

    private synchronized String session() {
        if (jwt != null) {
            return jwt;
        }
        Optional<String> kept = credentials.load(sessionOwner(sinkId)).map(m -> m.get("jwt"));
        if (kept.isPresent()) {
            jwt = kept.get();
            return jwt;
        }
        Secret secret = token.get();
        String json = write(w -> {
            w.beginObject();
            w.name("accessToken").value(secret.reveal());
            w.endObject();
        });
        Request req = new Request.Builder().url(base + "/api/v1/auth/anonymous")
                .post(RequestBody.create(json, JSON)).build();
        try (Response r = http.newCall(req).execute()) {
            String body = r.body().string();
            if (r.code() == 403 || r.code() == 401) {
                throw new SinkException(sinkId, "Ghostfolio at " + base + " refused the security token; store the "
                        + "current one with `foliosync sinks token " + sinkId + "`");
            }
            if (r.code() == 429) {
                throw new SinkException(sinkId, "Ghostfolio at " + base + " throttled the login (about 10 a minute); "
                        + "the next sync logs in again");
            }
            if (!r.isSuccessful()) {
                throw new SinkException(sinkId, "login at " + base + " answered HTTP " + r.code());
            }
            Object auth = object(body, "/api/v1/auth/anonymous").get("authToken");
            if (!(auth instanceof String s) || s.isBlank()) {
                throw new SinkException(sinkId, "login at " + base + " answered without an authToken");
            }
            jwt = s;
            credentials.save(sessionOwner(sinkId), Map.of("jwt", s));
            return jwt;
        } catch (IOException e) {
            throw new SinkException(sinkId, "cannot reach " + base + " to log in: " + e.getMessage(), e);
        }
    }

    /** Ghostfolio's 400 body: {@code {"message": [..] | "..", "error": "Bad Request", "statusCode": 400}}. */
    private List<String> messages(String body) {
        try {
            Object tree = Json.readTree(body);
            if (tree instanceof Map<?, ?> m) {
                Object msg = m.get("message");
                if (msg instanceof List<?> l) {
                    return l.stream().map(String::valueOf).toList();
                }
                if (msg != null) {
                    return List.of(String.valueOf(msg));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the body itself is the best description there is
        }
        return List.of(body.length() > 500 ? body.substring(0, 500) + "…" : body);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(String body, String endpoint) {
        try {
            Object tree = Json.readTree(body);
            if (tree instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        } catch (IOException | RuntimeException e) {
            throw new SinkException(sinkId, endpoint + " answered what is not JSON: " + e.getMessage(), e);
        }
        throw new SinkException(sinkId, endpoint + " answered JSON that is not an object");
    }

    private static List<?> list(Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    private interface Writing {
        void write(JsonWriter w) throws IOException;
    }

    private static String write(Writing writing) {
        Buffer buffer = new Buffer();
        try (JsonWriter w = JsonWriter.of(buffer)) {
            writing.write(w);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return buffer.readUtf8();
    }
}
