package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One provider that was asked and did not answer, and why.
 *
 * @param provider the provider's id
 * @param outcome  what happened
 * @param detail   the provider's message, for a person; never holds a secret
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Attempt(String provider, Outcome outcome, String detail) {
    /** Why a provider handed over to the next. */
    public enum Outcome {
        /** The provider or FolioSync's own limiter refused the call. */
        RATE_LIMITED,
        /** Network failure, unexpected status, or refused credentials. */
        UNAVAILABLE,
        /** The provider answered but holds nothing for this symbol, series or date. */
        NO_DATA,
        /** The provider answered with data that could not be understood. */
        MALFORMED,
        /**
         * The provider does not serve this kind of instrument (its symbol rules or the {@code symbol_map} left
         * it out) and was not asked.
         */
        UNSUPPORTED
    }

    public Attempt {
        Checks.text("Attempt", "provider", provider);
        Objects.requireNonNull(outcome, "Attempt.outcome");
        Objects.requireNonNull(detail, "Attempt.detail");
    }

    @Override
    public String toString() {
        return provider + " " + outcome + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
