package io.foliosync.connectors.api.cache;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.http.Redaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import org.apiguardian.api.API;

/**
 * A deterministic cache key for a request: method, scheme, host, port, path, the query parameters sorted by
 * name, and a SHA-256 of the body. Parameters that change on every call without changing the answer
 * (nonces, timestamps, signatures) and secrets are left out, so the same question maps to the same key and
 * no key holds a secret.
 *
 * @param value the canonical text
 */
@API(status = INTERNAL, since = "0.1")
public record CacheKey(String value) {
    private static final Set<String> VOLATILE = Set.of("nonce", "timestamp", "ts", "recvwindow", "_", "signature",
            "sign", "crumb");

    public CacheKey {
        Objects.requireNonNull(value, "value");
    }

    /** @return a key from free-form parts, for caches that are not keyed by a request */
    public static CacheKey of(String... parts) {
        return new CacheKey(String.join("\u001f", List.of(parts)));
    }

    /** @return the key of {@code request} */
    public static CacheKey of(Request request) {
        HttpUrl url = request.url();
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String name : url.queryParameterNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!VOLATILE.contains(lower) && !Redaction.isSensitive(name)) {
                params.put(name, url.queryParameterValues(name).stream().map(String::valueOf).sorted().toList());
            }
        }
        StringBuilder sb = new StringBuilder()
                .append(request.method()).append(' ')
                .append(url.scheme()).append("://").append(url.host()).append(':').append(url.port())
                .append(url.encodedPath()).append('?');
        params.forEach((name, values) -> values.forEach(v -> sb.append(name).append('=').append(v).append('&')));
        RequestBody body = request.body();
        if (body != null) {
            sb.append(" body-sha256=").append(bodyHash(body));
        }
        return new CacheKey(sb.toString());
    }

    private static String bodyHash(RequestBody body) {
        try (Buffer buffer = new Buffer()) {
            body.writeTo(buffer);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(buffer.readByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return value.getBytes(StandardCharsets.UTF_8).length > 300 ? value.substring(0, 300) + "…" : value;
    }
}
