package io.foliosync.imports.query;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a sink (Ghostfolio, docs/sinks.md) last received of one account: the read side of its cursor.
 *
 * @param sink        the sink's id in the configuration's {@code sinks:} section
 * @param sourceName  the account's namespace ({@code crypto_exchanges}, {@code ibkr}, a plugin id)
 * @param deliveredAt when a delivery of the account last succeeded; empty when none ever did
 * @param attemptedAt when a delivery of the account was last tried
 * @param lastError   why the last try failed; empty when it succeeded
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record SinkDelivery(String sink, String sourceName, String accountId, Optional<Instant> deliveredAt,
                           Instant attemptedAt, Optional<String> lastError) {
    public SinkDelivery {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(lastError, "lastError");
    }
}
