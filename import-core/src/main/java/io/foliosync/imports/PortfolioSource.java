package io.foliosync.imports;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A source to register for a portfolio with {@link Portfolios#addSource}: what one entry of a provider section of
 * {@code data_sources.yaml} says, split into settings (stored as they are) and credentials (stored encrypted with the
 * master key, never logged).
 *
 * <pre>{@code
 * fs.portfolios().addSource("alice", PortfolioSource.of("crypto_exchanges", "kraken",
 *         Map.of("exchange", "kraken"), Map.of("api_key", key, "api_secret", secret), Duration.ofHours(1)));
 * }</pre>
 *
 * @param section     the provider section that builds the source, such as {@code crypto_exchanges}
 * @param sourceId    the entry's key in that section, and the source's id within the portfolio
 * @param settings    the entry's other keys, without secrets
 * @param credentials the entry's secret keys ({@code api_key}, {@code api_secret}, …)
 * @param period      how often the clustered scheduler syncs it; syncs start at multiples of the period since the
 *                    epoch, so every instance agrees on the period a sync belongs to
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PortfolioSource(String section, String sourceId, Map<String, String> settings,
                              Map<String, String> credentials, Duration period) {
    public PortfolioSource {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(sourceId, "sourceId");
        settings = Map.copyOf(settings);
        credentials = Map.copyOf(credentials);
        Objects.requireNonNull(period, "period");
        if (period.toSeconds() < 1) {
            throw new IllegalArgumentException("source " + sourceId + ": period must be at least one second but was "
                    + period);
        }
        for (String key : credentials.keySet()) {
            if (settings.containsKey(key)) {
                throw new IllegalArgumentException("source " + sourceId + ": '" + key
                        + "' is both a setting and a credential");
            }
        }
    }

    public static PortfolioSource of(String section, String sourceId, Map<String, String> settings,
                                     Map<String, String> credentials, Duration period) {
        return new PortfolioSource(section, sourceId, settings, credentials, period);
    }

    /** Names the credentials' keys, never their values. */
    @Override
    public String toString() {
        return "PortfolioSource[" + section + "." + sourceId + ", settings=" + settings + ", credentials="
                + credentials.keySet() + ", period=" + period + "]";
    }
}
