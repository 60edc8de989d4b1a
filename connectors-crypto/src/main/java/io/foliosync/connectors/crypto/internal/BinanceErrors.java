package io.foliosync.connectors.crypto.internal;

import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.CLOCK_SKEW;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.KEY_REFUSED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.OTHER;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.RATE_LIMIT;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.UNAVAILABLE;

import io.foliosync.connectors.crypto.internal.ExchangeError.Kind;
import java.util.Map;
import java.util.Optional;

/**
 * Binance's error codes (Spot API, "Error codes"): {@code {"code":-1021,"msg":"..."}} with a non-2xx status. The
 * codes are universal, the messages vary, so only the code decides. HTTP 418 (an IP ban) and 429 come before any
 * code and are handled by the client.
 */
final class BinanceErrors implements ErrorCodes {
    private static final Map<Integer, Kind> CODES = Map.ofEntries(
            Map.entry(-1003, RATE_LIMIT),   // TOO_MANY_REQUESTS
            Map.entry(-1015, RATE_LIMIT),   // TOO_MANY_ORDERS
            Map.entry(-1001, UNAVAILABLE),  // DISCONNECTED: internal error, try again
            Map.entry(-1004, UNAVAILABLE),  // SERVER_BUSY
            Map.entry(-1007, UNAVAILABLE),  // TIMEOUT waiting for the backend
            Map.entry(-1008, UNAVAILABLE),  // SERVER_BUSY: overloaded
            Map.entry(-1016, UNAVAILABLE),  // SERVICE_SHUTTING_DOWN
            Map.entry(-1021, CLOCK_SKEW),   // INVALID_TIMESTAMP: outside recvWindow, or ahead of the server
            Map.entry(-1002, KEY_REFUSED),  // UNAUTHORIZED
            Map.entry(-1022, KEY_REFUSED),  // INVALID_SIGNATURE
            Map.entry(-2014, KEY_REFUSED),  // BAD_API_KEY_FMT
            Map.entry(-2015, KEY_REFUSED)); // REJECTED_MBX_KEY: invalid key, IP or permissions

    @Override
    public Optional<ExchangeError> read(String body) {
        return ExchangeError.jsonObject(body).flatMap(m -> ExchangeError.text(m.get("code")).map(code -> {
            String msg = ExchangeError.text(m.get("msg")).orElse("");
            return new ExchangeError(code, "code " + code + (msg.isEmpty() ? "" : ": " + msg), kind(code));
        }));
    }

    private static Kind kind(String code) {
        try {
            return CODES.getOrDefault(Integer.valueOf(code), OTHER);
        } catch (NumberFormatException notAnInteger) {
            return OTHER;
        }
    }
}
