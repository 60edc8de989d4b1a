package io.foliosync.connectors.crypto.internal;

import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.CLOCK_SKEW;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.KEY_REFUSED;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.OTHER;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.RATE_LIMIT;
import static io.foliosync.connectors.crypto.internal.ExchangeError.Kind.UNAVAILABLE;

import io.foliosync.connectors.crypto.internal.ExchangeError.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kraken's error codes (docs.kraken.com, "Errors"). Kraken answers {@code {"error":["EAPI:Invalid key"],...}}: each
 * entry is {@code <severity><category>:<message>} and may carry a detail after one more colon
 * ({@code EGeneral:Invalid arguments:volume}). The first two segments are the code, compared whole.
 */
final class KrakenErrors implements ErrorCodes {
    private static final Map<String, Kind> CODES = Map.ofEntries(
            Map.entry("EAPI:Rate limit exceeded", RATE_LIMIT),
            Map.entry("EOrder:Rate limit exceeded", RATE_LIMIT),
            Map.entry("EGeneral:Too many requests", RATE_LIMIT),
            Map.entry("EAPI:Invalid nonce", CLOCK_SKEW),
            Map.entry("EAPI:Invalid key", KEY_REFUSED),
            Map.entry("EAPI:Invalid signature", KEY_REFUSED),
            Map.entry("EGeneral:Permission denied", KEY_REFUSED),
            Map.entry("EService:Unavailable", UNAVAILABLE),
            Map.entry("EService:Busy", UNAVAILABLE),
            Map.entry("EService:Deadline elapsed", UNAVAILABLE),
            Map.entry("EGeneral:Internal error", UNAVAILABLE));

    @Override
    public Optional<ExchangeError> read(String body) {
        return ExchangeError.jsonObject(body).flatMap(m -> m.get("error") instanceof List<?> l ? of(l)
                : Optional.empty());
    }

    /**
     * @param errors the {@code error} array of an answer
     * @return the first error whose code is known (else the first), with every entry in its text; empty for an
     *         empty array
     */
    static Optional<ExchangeError> of(List<?> errors) {
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        String text = String.join(", ", errors.stream().map(String::valueOf).toList());
        return Optional.of(errors.stream().map(e -> code(String.valueOf(e)))
                .filter(c -> kind(c) != OTHER).findFirst()
                .map(c -> new ExchangeError(c, text, kind(c)))
                .orElseGet(() -> new ExchangeError(code(String.valueOf(errors.get(0))), text, OTHER)));
    }

    static Kind kind(String code) {
        return CODES.getOrDefault(code, OTHER);
    }

    private static String code(String entry) {
        int first = entry.indexOf(':');
        int second = first < 0 ? -1 : entry.indexOf(':', first + 1);
        return second < 0 ? entry : entry.substring(0, second);
    }
}
