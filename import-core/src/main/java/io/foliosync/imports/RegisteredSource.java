package io.foliosync.imports;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.imports.store.PortfolioIds;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A source registered for a portfolio through the API, as stored in {@code portfolio_sources}; its credentials are
 * not here but encrypted in {@code plugin_configs}.
 *
 * @param portfolioId the portfolio it belongs to
 * @param sourceId    its id within the portfolio, the key of its jobs, cursor and lock
 * @param section     the provider section that builds it ({@code crypto_exchanges}, {@code ibkr}, …)
 * @param settings    its entry of that section without secrets, as {@code data_sources.yaml} would hold it
 * @param period      how often the clustered scheduler syncs it
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RegisteredSource(String portfolioId, String sourceId, String section, Map<String, String> settings,
                               Duration period) {
    public RegisteredSource {
        PortfolioIds.check(portfolioId);
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(section, "section");
        settings = Map.copyOf(settings);
        Objects.requireNonNull(period, "period");
        if (sourceId.isBlank() || sourceId.length() > 128) {
            throw new IllegalArgumentException("source id '" + sourceId + "' must be 1-128 characters");
        }
        if (period.toSeconds() < 1) {
            throw new IllegalArgumentException("source " + sourceId + ": period must be at least one second but was "
                    + period);
        }
    }
}
