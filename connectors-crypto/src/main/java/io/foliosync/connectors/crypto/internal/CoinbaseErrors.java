package io.foliosync.connectors.crypto.internal;

import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.CLOCK_SKEW;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.KEY_OR_CLOCK_REFUSED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.KEY_REFUSED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.OTHER;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.RATE_LIMIT;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.UNAVAILABLE;

import io.foliosync.connectors.crypto.internal.ExchangeError.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Coinbase's error codes. Advanced Trade (v3) answers {@code {"error":"UNAUTHENTICATED","message":"..."}} with
 * gRPC-style codes; the App API (v2) {@code {"errors":[{"id":"expired_token","message":"..."}]}}. A JWT lives two
 * minutes from this machine's clock, and v3 refuses an expired one as {@code UNAUTHENTICATED} like a revoked key, so
 * that code names both causes.
 */
final class CoinbaseErrors implements ErrorCodes {
    private static final Map<String, Kind> CODES = Map.ofEntries(
            // v3, Advanced Trade
            Map.entry("UNAUTHENTICATED", KEY_OR_CLOCK_REFUSED),
            Map.entry("PERMISSION_DENIED", KEY_REFUSED),
            Map.entry("RATE_LIMIT_EXCEEDED", RATE_LIMIT),
            Map.entry("RESOURCE_EXHAUSTED", RATE_LIMIT),
            Map.entry("UNAVAILABLE", UNAVAILABLE),
            Map.entry("INTERNAL", UNAVAILABLE),
            // v2, App API
            Map.entry("authentication_error", KEY_REFUSED),
            Map.entry("invalid_token", KEY_REFUSED),
            Map.entry("revoked_token", KEY_REFUSED),
            Map.entry("invalid_scope", KEY_REFUSED),
            Map.entry("expired_token", CLOCK_SKEW),
            Map.entry("rate_limit_exceeded", RATE_LIMIT),
            Map.entry("internal_server_error", UNAVAILABLE));

    @Override
    public Optional<ExchangeError> read(String body) {
        return ExchangeError.jsonObject(body).flatMap(m -> {
            if (m.get("errors") instanceof List<?> errors && !errors.isEmpty()
                    && errors.get(0) instanceof Map<?, ?> first) {
                return of(first.get("id"), first.get("message"));
            }
            return of(m.get("error"), m.get("message"));
        });
    }

    private static Optional<ExchangeError> of(Object id, Object message) {
        return ExchangeError.text(id).map(code -> {
            String msg = ExchangeError.text(message).orElse("");
            return new ExchangeError(code, code + (msg.isEmpty() ? "" : ": " + msg), CODES.getOrDefault(code, OTHER));
        });
    }
}
