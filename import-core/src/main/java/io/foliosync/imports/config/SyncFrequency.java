package io.foliosync.imports.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.foliosync.connectors.api.ConfigurationException;
import io.foliosync.imports.schedule.SyncScheduler;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How often {@link SyncScheduler} syncs a source: {@code hourly}, {@code daily}, {@code weekly}, {@code manual}
 * (never on a schedule), or any duration ({@code 30m}, {@code PT6H}).
 *
 * @param interval the time between runs; zero for manual
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record SyncFrequency(Duration interval) {
    public static final SyncFrequency HOURLY = new SyncFrequency(Duration.ofHours(1));
    public static final SyncFrequency DAILY = new SyncFrequency(Duration.ofDays(1));
    public static final SyncFrequency WEEKLY = new SyncFrequency(Duration.ofDays(7));
    public static final SyncFrequency MANUAL = new SyncFrequency(Duration.ZERO);

    public SyncFrequency {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("a sync interval must not be negative");
        }
    }

    public boolean isManual() {
        return interval.isZero();
    }

    /**
     * @param keyPath where the value came from, for the error message
     * @throws ConfigurationException for anything else
     */
    public static SyncFrequency parse(String value, String keyPath) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "hourly":
                return HOURLY;
            case "daily":
                return DAILY;
            case "weekly":
                return WEEKLY;
            case "manual":
            case "never":
                return MANUAL;
            default:
                break;
        }
        try {
            Duration d;
            if (v.startsWith("p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                d = switch (v.charAt(v.length() - 1)) {
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new NumberFormatException(v);
                };
            }
            if (d.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new NumberFormatException("below one minute");
            }
            return new SyncFrequency(d);
        } catch (RuntimeException e) {
            throw new ConfigurationException(null, keyPath + ": expected hourly, daily, weekly, manual or a duration "
                    + "of at least a minute (30m, 6h, PT6H) but was '" + value + "'");
        }
    }
}
