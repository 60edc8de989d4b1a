package io.foliosync.connectors.marketdata;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One observation of an economic series (FRED).
 *
 * @param date  the observation's date
 * @param value the value; empty for a missing observation (FRED's {@code "."}), never zero
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Observation(LocalDate date, Optional<BigDecimal> value) {
    public Observation {
        Objects.requireNonNull(date, "Observation.date");
        Checks.optional("Observation", "value", value);
    }
}
