package io.foliosync.connectors.api.http;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import io.foliosync.connectors.api.AuthenticationException;
import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.HttpStatusException;
import io.foliosync.connectors.api.MalformedDataException;
import io.foliosync.connectors.api.NetworkException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.UntrustedCertificateException;
import io.foliosync.connectors.api.json.Json;
import io.foliosync.connectors.api.DeadlineExceededException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.apiguardian.api.API;

/**
 * Executes requests for one connector and turns every failure into the API's typed exceptions: 401 and 403
 * become {@link AuthenticationException}, 429 a {@link RateLimitException} with the server's
 * {@code Retry-After}, other statuses an {@link HttpStatusException}, I/O failures a {@link NetworkException}
 * (an untrusted TLS peer an {@link UntrustedCertificateException}), and unreadable JSON a
 * {@link MalformedDataException} that names the JSON path; all name the source and endpoint. A network
 * failure is never disguised as a data error, nor the reverse. Retries already happened, in the client's
 * {@code RetryInterceptor}, by the time any of these is thrown.
 */
@API(status = INTERNAL, since = "0.1")
public final class ApiClient {
    private static final int SNIPPET = 200;
    private final String source;
    private final OkHttpClient http;
    private final Clock clock;

    private ApiClient(String source, OkHttpClient http, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static ApiClient of(String source, OkHttpClient http) {
        return new ApiClient(source, http, Clock.systemUTC());
    }

    public static ApiClient of(String source, OkHttpClient http, Clock clock) {
        return new ApiClient(source, http, clock);
    }

    public String source() {
        return source;
    }

    public OkHttpClient http() {
        return http;
    }

    /** @return the body of a successful response */
    public String execute(Request request) {
        String endpoint = endpoint(request);
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            String text = body == null ? "" : body.string();
            if (response.isSuccessful()) {
                return text;
            }
            throw statusError(endpoint, response, text);
        } catch (IOException e) {
            if (isCallTimeout(e) && SyncDeadline.current().filter(SyncDeadline::expired).isEmpty()) {
                throw new DeadlineExceededException(source, endpoint,
                        java.time.Duration.ofMillis(http.callTimeoutMillis()), false, e);
            }
            throw networkError(source, endpoint, request.url(), e);
        }
    }

    /** @return the body of a successful response, read with {@code adapter} */
    public <T> T execute(Request request, JsonAdapter<T> adapter) {
        String body = execute(request);
        return parse(endpoint(request), body, adapter);
    }

    /** @return the body of a successful response as a JSON tree ({@link Json#readTree(String)}) */
    public Object executeTree(Request request) {
        String endpoint = endpoint(request);
        String body = execute(request);
        try {
            return Json.readTree(body);
        } catch (JsonDataException e) {
            throw DataFetchException.malformed(source, endpoint, null, null, "malformed JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            // The body is already in memory: any read failure here, EOF included, is a malformed body.
            throw DataFetchException.malformed(source, endpoint, null, null, "malformed JSON: " + e, e);
        }
    }

    /** Reads {@code body} with {@code adapter}, turning JSON errors into malformed-data errors. */
    public <T> T parse(String endpoint, String body, JsonAdapter<T> adapter) {
        try {
            T value = adapter.fromJson(body);
            if (value == null) {
                throw DataFetchException.malformed(source, endpoint, null, null, "empty JSON response", null);
            }
            return value;
        } catch (JsonEncodingException e) {
            throw DataFetchException.malformed(source, endpoint, null, null, "malformed JSON: " + e.getMessage(), e);
        } catch (JsonDataException e) {
            throw DataFetchException.malformed(source, endpoint, null, null,
                    "unexpected JSON data: " + e.getMessage(), e);
        } catch (IOException e) {
            // The body is already in memory: any read failure here, EOF included, is a malformed body.
            throw DataFetchException.malformed(source, endpoint, null, null, "malformed JSON: " + e, e);
        }
    }

    /** @return a base URL parsed from configuration, or a {@link ConfigurationException} naming the key */
    public static HttpUrl baseUrl(String source, String configKey, String value) {
        HttpUrl url = value == null ? null : HttpUrl.parse(value.trim());
        if (url == null) {
            throw new ConfigurationException(source, configKey + ": not an http(s) URL: '" + value + "'");
        }
        return url;
    }

    /**
     * @return the typed error for an I/O failure calling {@code url}: an {@link UntrustedCertificateException}
     *         when the TLS peer was not trusted, else a {@link NetworkException}
     */
    public static DataFetchException networkError(String source, String endpoint, HttpUrl url, IOException e) {
        // the sync's deadline cut or refused the call: say so, not "network error", and do not let a job retry it
        java.util.Optional<SyncDeadline> sync = SyncDeadline.current().filter(SyncDeadline::expired);
        if (sync.isPresent() || e instanceof SyncDeadline.Exceeded) {
            SyncDeadline d = sync.orElseGet(() -> ((SyncDeadline.Exceeded) e).deadline);
            return new DeadlineExceededException(d.source(), endpoint, d.limit(), true, e);
        }
        if (UntrustedCertificateException.findCertificateFailure(e).isPresent()) {
            return new UntrustedCertificateException(source, url.host(), url.port(), null, e);
        }
        return NetworkException.of(source, endpoint, e);
    }

    /**
     * OkHttp reports a call that outlasted its total deadline as a plain {@link InterruptedIOException}; a read
     * or connect timeout is its subclass {@link java.net.SocketTimeoutException} (a hiccup, retried), and an
     * interrupt of the thread leaves the thread's flag set.
     */
    private static boolean isCallTimeout(IOException e) {
        return e.getClass() == InterruptedIOException.class && !Thread.currentThread().isInterrupted();
    }

    /** @return {@code METHOD /path}: what error messages call the endpoint; never holds query secrets */
    public static String endpoint(Request request) {
        return request.method() + " " + request.url().encodedPath();
    }

    private RuntimeException statusError(String endpoint, Response response, String body) {
        String snippet = body.length() > SNIPPET ? body.substring(0, SNIPPET) + "…" : body;
        int code = response.code();
        if (code == 401 || code == 403) {
            return new AuthenticationException(source, endpoint + ": HTTP " + code
                    + ": the credentials were refused or have expired; check the key, its permissions and "
                    + "any IP allow-list" + (snippet.isBlank() ? "" : " (server said: " + snippet + ")"));
        }
        if (code == 429) {
            return new RateLimitException(source, endpoint + ": HTTP 429: rate limit exceeded",
                    RetryAfter.of(response, clock));
        }
        return new HttpStatusException(source, endpoint, code, RetryAfter.of(response, clock), snippet);
    }
}
