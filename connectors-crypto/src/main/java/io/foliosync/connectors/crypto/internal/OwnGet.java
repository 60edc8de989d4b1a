package io.foliosync.connectors.crypto.internal;

import io.foliosync.connectors.api.DataFetchException;
import io.foliosync.connectors.api.http.ApiClient;
import io.foliosync.connectors.api.http.RetryAfter;
import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One attempt of one of the module's own signed GETs (Coinbase, Gate.io, HTX): a non-2xx status becomes the typed
 * exception {@link Calls#httpError} picks by the exchange's error code in the body (else by the status, HTTP 429 a
 * {@link io.foliosync.connectors.api.RateLimitException} carrying the server's {@code Retry-After}), a body that is
 * not JSON a {@link io.foliosync.connectors.api.MalformedDataException} and an I/O failure a
 * {@link io.foliosync.connectors.api.NetworkException}, naming exchange and endpoint. Run it inside
 * {@link Calls#http} so that it is retried, and signed again, by the module's one retry layer.
 */
final class OwnGet {
    private OwnGet() {
    }

    /** @return the body read by {@link Json#readTree} */
    static Object execute(ClientContext ctx, String endpoint, Request request) {
        try (Response response = ctx.http().newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            int code = response.code();
            if (code < 200 || code >= 300) {
                throw ctx.calls().httpError(endpoint, code, body, RetryAfter.of(response, ctx.clock()));
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
}
