package io.foliosync.connectors.crypto.internal;

import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.KEY_OR_CLOCK_REFUSED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.OTHER;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.RATE_LIMIT;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.UNAVAILABLE;

import io.foliosync.connectors.crypto.internal.ExchangeError.Kind;
import java.util.Map;
import java.util.Optional;

/**
 * HTX's (Huobi's) error codes (Spot API v1, "Error Code"): {@code {"status":"error","err-code":"...","err-msg":
 * "..."}}, usually with HTTP 200. HTX refuses a wrong key, a wrong secret and a {@code Timestamp} too far from its
 * clock all as {@code api-signature-not-valid}, so that code names both causes.
 */
final class HtxErrors implements ErrorCodes {
    private static final Map<String, Kind> CODES = Map.ofEntries(
            Map.entry("api-signature-not-valid", KEY_OR_CLOCK_REFUSED),
            // The rate-limit code is spelled three ways across HTX's API generations.
            Map.entry("api-limit-exceeded", RATE_LIMIT),
            Map.entry("too-many-request", RATE_LIMIT),
            Map.entry("too-many-requests", RATE_LIMIT),
            Map.entry("gateway-internal-error", UNAVAILABLE));

    @Override
    public Optional<ExchangeError> read(String body) {
        return ExchangeError.jsonObject(body).filter(m -> m.containsKey("err-code")).map(HtxErrors::of);
    }

    /** @return the error of an envelope whose {@code status} is not {@code ok} */
    static ExchangeError of(Map<String, Object> envelope) {
        String code = ExchangeError.text(envelope.get("err-code")).orElse("unknown");
        String msg = ExchangeError.text(envelope.get("err-msg")).orElse("");
        return new ExchangeError(code, code + (msg.isEmpty() ? "" : ": " + msg), CODES.getOrDefault(code, OTHER));
    }
}
