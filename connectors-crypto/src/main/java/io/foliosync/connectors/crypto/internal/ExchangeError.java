package io.foliosync.connectors.crypto.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.foliosync.connectors.api.json.Json;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * An error an exchange reported in its answer, as that exchange's {@link ErrorCodes} read it from the answer's error
 * fields: its code, the text for a person, and what the code means to FolioSync.
 *
 * @param code the exchange's own code: Kraken's {@code EAPI:Invalid key}, OKX's {@code 50011}, Binance's
 *             {@code -1021}, HTX's {@code err-code}, Gate.io's {@code label}, Coinbase's {@code error} or
 *             {@code errors[].id}
 * @param text the code and the exchange's message, shown to the user and never matched
 * @param kind the family the code belongs to, from the exchange's documented code list
 */
@API(status = INTERNAL, since = "0.1")
public record ExchangeError(String code, String text, Kind kind) {

    /** What a documented code means to FolioSync: which typed exception it becomes, and so whether it is retried. */
    @API(status = INTERNAL, since = "0.1")
    public enum Kind {
        /** Too many calls: a {@code RateLimitException}, retried after the backoff. */
        RATE_LIMIT,
        /** The nonce or timestamp was refused: an {@code AuthenticationException} naming clock skew. */
        CLOCK_SKEW,
        /** The key, its secret, the signature made with it or its permissions were refused. */
        KEY_REFUSED,
        /** The passphrase that goes with the key was refused (OKX). */
        PASSPHRASE_REFUSED,
        /**
         * The signature was refused under a code the exchange also gives a stale timestamp (HTX's
         * {@code api-signature-not-valid}, Coinbase's {@code UNAUTHENTICATED} for an expired JWT): the code cannot
         * tell the two apart, so the message names both.
         */
        KEY_OR_CLOCK_REFUSED,
        /** This machine's IP address is not on the key's allow-list. */
        IP_NOT_ALLOWED,
        /** The exchange said it is down, busy or timed out: a {@code NetworkException}, retried. */
        UNAVAILABLE,
        /** Any other code: the request is refused as it stands, and the HTTP status (if any) decides the type. */
        OTHER
    }

    /** @return the body's top-level JSON object; empty when the body is no JSON object */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> jsonObject(String body) {
        try {
            return body != null && Json.readTree(body) instanceof Map<?, ?> m
                    ? Optional.of((Map<String, Object>) m) : Optional.empty();
        } catch (IOException | RuntimeException notJson) {
            return Optional.empty();
        }
    }

    /** @return a JSON scalar as text (a number without exponent), or empty when absent or blank */
    static Optional<String> text(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        String s = value instanceof java.math.BigDecimal b ? b.toPlainString() : String.valueOf(value);
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
