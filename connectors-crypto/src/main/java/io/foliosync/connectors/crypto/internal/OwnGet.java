package io.foliosync.connectors.crypto.internal;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.RateLimitException;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.RetryAfter;
import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One attempt of one of the module's own signed GETs (Coinbase, Gate.io, HTX): HTTP 429 becomes a
 * {@link RateLimitException} carrying the server's {@code Retry-After}, any other non-2xx status the typed
 * exception {@link Calls#exchangeError} picks from the exchange's error text, a body that is not JSON a
 * {@link io.foliosync.connectors.api.MalformedDataException} and an I/O failure a
 * {@link io.foliosync.connectors.api.NetworkException}, naming exchange and endpoint. Run it inside {@link Calls#http} so that it is
 * retried, and signed again, by the module's one retry layer.
 */
final class OwnGet {
    private OwnGet() {
    }

    /**
     * @param errorText turns an error body into the exchange's code and message
     * @return the body read by {@link Json#readTree}
     */
    static Object execute(ClientContext ctx, String endpoint, Request request, UnaryOperator<String> errorText) {
        try (Response response = ctx.http().newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            int code = response.code();
            if (code == 429) {
                throw new RateLimitException(ctx.exchangeId(), endpoint + ": HTTP 429: rate limit exceeded ("
                        + errorText.apply(body) + ")", RetryAfter.of(response, ctx.clock()));
            }
            if (code < 200 || code >= 300) {
                throw ctx.calls().exchangeError(endpoint, errorText.apply(body), Optional.of(code));
            }
            return Json.readTree(body);
        } catch (com.squareup.moshi.JsonEncodingException | java.io.EOFException
                 | com.squareup.moshi.JsonDataException e) {
            throw DataFetchException.malformed(ctx.exchangeId(), endpoint, null, null,
                    "malformed JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw ApiClient.networkError(ctx.exchangeId(), endpoint, request.url(), e);
        }
    }

    /** @return the start of a body that is not the exchange's error JSON */
    static String snippet(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
