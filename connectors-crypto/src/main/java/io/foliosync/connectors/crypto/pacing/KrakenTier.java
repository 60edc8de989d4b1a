package io.foliosync.connectors.crypto.pacing;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Kraken's verification tiers and their REST call counters
 * (<a href="https://docs.kraken.com/api/docs/guides/spot-rest-ratelimits">Spot REST rate limits</a>).
 */
@API(status = INTERNAL, since = "0.1")
public enum KrakenTier {
    STARTER(15, 0.33),
    INTERMEDIATE(20, 0.5),
    PRO(20, 1.0);

    private final int max;
    private final double decayPerSecond;

    KrakenTier(int max, double decayPerSecond) {
        this.max = max;
        this.decayPerSecond = decayPerSecond;
    }

    /** @return the counter's maximum */
    public int max() {
        return max;
    }

    /** @return how much the counter falls each second */
    public double decayPerSecond() {
        return decayPerSecond;
    }

    /** @return the tier named {@code name} ({@code starter}, {@code intermediate}, {@code pro}), any case */
    public static Optional<KrakenTier> byName(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.name().equals(n)).findFirst();
    }
}
