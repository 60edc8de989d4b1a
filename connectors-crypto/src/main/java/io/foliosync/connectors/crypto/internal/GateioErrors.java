package io.foliosync.connectors.crypto.internal;

import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.CLOCK_SKEW;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.IP_NOT_ALLOWED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.KEY_REFUSED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.OTHER;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.RATE_LIMIT;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.UNAVAILABLE;

import io.foliosync.connectors.crypto.internal.ExchangeError.Kind;
import java.util.Map;
import java.util.Optional;

/** Gate.io's error labels (API v4, "Error Labels"): {@code {"label":"INVALID_KEY","message":"..."}}. */
final class GateioErrors implements ErrorCodes {
    private static final Map<String, Kind> CODES = Map.ofEntries(
            Map.entry("TOO_MANY_REQUESTS", RATE_LIMIT),
            Map.entry("REQUEST_EXPIRED", CLOCK_SKEW),          // Timestamp too far from the server's time
            Map.entry("INVALID_KEY", KEY_REFUSED),
            Map.entry("INVALID_SIGNATURE", KEY_REFUSED),
            Map.entry("INVALID_CREDENTIALS", KEY_REFUSED),
            Map.entry("MISSING_REQUIRED_HEADER", KEY_REFUSED),
            Map.entry("READ_ONLY", KEY_REFUSED),
            Map.entry("FORBIDDEN", KEY_REFUSED),               // the key lacks the permission
            Map.entry("ACCOUNT_LOCKED", KEY_REFUSED),
            Map.entry("IP_FORBIDDEN", IP_NOT_ALLOWED),
            Map.entry("SERVER_ERROR", UNAVAILABLE),
            Map.entry("TOO_BUSY", UNAVAILABLE));

    @Override
    public Optional<ExchangeError> read(String body) {
        return ExchangeError.jsonObject(body).flatMap(m -> ExchangeError.text(m.get("label")).map(label -> {
            String msg = ExchangeError.text(m.get("message")).orElse("");
            return new ExchangeError(label, label + (msg.isEmpty() ? "" : ": " + msg),
                    CODES.getOrDefault(label, OTHER));
        }));
    }
}
