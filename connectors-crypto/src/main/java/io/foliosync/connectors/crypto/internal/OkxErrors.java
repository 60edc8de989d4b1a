package io.foliosync.connectors.crypto.internal;

import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.CLOCK_SKEW;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.IP_NOT_ALLOWED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.KEY_REFUSED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.OTHER;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.PASSPHRASE_REFUSED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.RATE_LIMIT;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.UNAVAILABLE;

import io.foliosync.connectors.crypto.internal.ExchangeError.Kind;
import java.util.Map;
import java.util.Optional;

/**
 * OKX's error codes (OKX API v5, "Error Code", REST public and authentication codes 50000-50199). OKX answers
 * {@code {"code":"50011","msg":"...","data":[]}}, also with HTTP 200; {@code "0"} is success.
 */
final class OkxErrors implements ErrorCodes {
    private static final Map<String, Kind> CODES = Map.ofEntries(
            Map.entry("50011", RATE_LIMIT),          // rate limit reached
            Map.entry("50061", RATE_LIMIT),          // sub-account rate limit reached
            Map.entry("50001", UNAVAILABLE),         // service temporarily unavailable
            Map.entry("50004", UNAVAILABLE),         // endpoint request timeout
            Map.entry("50013", UNAVAILABLE),         // systems are busy
            Map.entry("50026", UNAVAILABLE),         // system error, try again later
            Map.entry("50102", CLOCK_SKEW),          // timestamp request expired
            Map.entry("50112", CLOCK_SKEW),          // invalid OK-ACCESS-TIMESTAMP
            Map.entry("50110", IP_NOT_ALLOWED),      // IP not in the key's allow-list
            Map.entry("50104", PASSPHRASE_REFUSED),  // OK-ACCESS-PASSPHRASE empty
            Map.entry("50105", PASSPHRASE_REFUSED),  // OK-ACCESS-PASSPHRASE incorrect
            Map.entry("50100", KEY_REFUSED),         // API frozen
            Map.entry("50101", KEY_REFUSED),         // key does not match the environment (demo or live)
            Map.entry("50103", KEY_REFUSED),         // OK-ACCESS-KEY empty
            Map.entry("50106", KEY_REFUSED),         // OK-ACCESS-SIGN empty
            Map.entry("50111", KEY_REFUSED),         // invalid OK-ACCESS-KEY
            Map.entry("50113", KEY_REFUSED),         // invalid signature
            Map.entry("50119", KEY_REFUSED));        // API key does not exist

    @Override
    public Optional<ExchangeError> read(String body) {
        return ExchangeError.jsonObject(body).flatMap(m -> ExchangeError.text(m.get("code"))
                .filter(c -> !c.equals("0"))
                .map(c -> of(c, ExchangeError.text(m.get("msg")).orElse(""))));
    }

    /** @return the error of an answer whose {@code code} is not {@code "0"} */
    static ExchangeError of(String code, String msg) {
        return new ExchangeError(code, "code " + code + (msg.isBlank() ? "" : ": " + msg),
                CODES.getOrDefault(code, OTHER));
    }
}
