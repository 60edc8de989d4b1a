package io.foliosync.connectors.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The answer of a health check.
 *
 * @param healthy   whether the source answered as expected
 * @param message   what was checked and what was found
 * @param checkedAt when the check ran
 * @param latency   how long the source took to answer, when it answered
 * @param details   extra facts (clock skew, server time, per-exchange status); never null
 */
@API(status = STABLE, since = "0.1")
public record HealthStatus(boolean healthy, String message, Instant checkedAt, Optional<Duration> latency,
                           Map<String, String> details) {
    public HealthStatus {
        Fields.required("HealthStatus", "message", message);
        Fields.required("HealthStatus", "checkedAt", checkedAt);
        Fields.optional("HealthStatus", "latency", latency);
        details = Fields.attributes("HealthStatus", details);
    }

    public static HealthStatus healthy(String message, Instant checkedAt, Duration latency) {
        return new HealthStatus(true, message, checkedAt, Optional.of(latency), Map.of());
    }

    public static HealthStatus unhealthy(String message, Instant checkedAt) {
        return new HealthStatus(false, message, checkedAt, Optional.empty(), Map.of());
    }
}
